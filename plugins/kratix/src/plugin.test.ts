import { compactEntity, linkedEntity, plainEntity } from './__fixtures__';
import {
  EntityKratixContent,
  EntityKratixStatusCard,
  isKratixAvailable,
  kratixPlugin,
} from './index';
import kratixFrontendPlugin, {
  kratixEntityContent,
  kratixEntityStatusCard,
} from './alpha';

describe('kratix plugin', () => {
  it('exports the legacy plugin and its extensions', () => {
    expect(kratixPlugin.getId()).toBe('kratix');
    expect(EntityKratixContent).toBeDefined();
    expect(EntityKratixStatusCard).toBeDefined();
  });

  it('is available on entities that link Resources, in either annotation form', () => {
    expect(isKratixAvailable(linkedEntity)).toBe(true);
    expect(isKratixAvailable(compactEntity)).toBe(true);
    expect(isKratixAvailable(plainEntity)).toBe(false);
  });

  it('exports a plugin for the new frontend system', () => {
    expect(kratixFrontendPlugin.pluginId).toBe('kratix');
    expect(kratixFrontendPlugin.getExtension('entity-content:kratix')).toEqual(
      expect.objectContaining({ kind: 'entity-content', namespace: 'kratix' }),
    );
    expect(
      kratixFrontendPlugin.getExtension('entity-card:kratix/status'),
    ).toEqual(expect.objectContaining({ kind: 'entity-card', name: 'status' }));
    expect(kratixFrontendPlugin.getExtension('api:kratix')).toBeDefined();
    expect(kratixEntityContent).toBeDefined();
    expect(kratixEntityStatusCard).toBeDefined();
  });
});
