import { getComponentData } from '@backstage/core-plugin-api';
import { createElement } from 'react';
import { compactEntity, linkedEntity, plainEntity } from './__fixtures__';
import {
  EntityKratixContent,
  EntityKratixStatusCard,
  isKratixAvailable,
  kratixPlugin,
} from './index';
import kratixFrontendPlugin from './alpha';
import { rootRouteRef } from './routes';
import { kratixApiFactory } from './api/apiFactory';

describe('kratix plugin', () => {
  it('exports the legacy plugin and its extensions', () => {
    expect(kratixPlugin.getId()).toBe('kratix');
    // The tab is routable at the plugin's root route; the card is a plain component extension.
    expect(
      getComponentData(createElement(EntityKratixContent), 'core.mountPoint'),
    ).toBe(rootRouteRef);
    expect(
      getComponentData(
        createElement(EntityKratixStatusCard),
        'core.mountPoint',
      ),
    ).toBeUndefined();
    expect(
      getComponentData(createElement(EntityKratixStatusCard), 'core.plugin'),
    ).toBe(kratixPlugin);
    // The factory alpha.tsx installs too (its ID token wiring: KratixClient.idTokens.test.ts).
    expect([...kratixPlugin.getApis()]).toEqual([kratixApiFactory]);
  });

  it('is available on entities that link Resources, in either annotation form, and on Components', () => {
    expect(isKratixAvailable(linkedEntity)).toBe(true);
    expect(isKratixAvailable(compactEntity)).toBe(true);
    // A Component is what Resources are requested for: its tab shows them with no annotation.
    expect(isKratixAvailable(plainEntity)).toBe(true);
    expect(isKratixAvailable({ ...plainEntity, kind: 'System' })).toBe(false);
    expect(isKratixAvailable({ ...plainEntity, kind: 'API' })).toBe(false);
  });

  it('exports a plugin for the new frontend system', () => {
    expect(kratixFrontendPlugin.pluginId).toBe('kratix');
    expect(kratixFrontendPlugin.getExtension('entity-content:kratix')).toEqual(
      expect.objectContaining({ kind: 'entity-content', namespace: 'kratix' }),
    );
    // The tab's open-expanded threshold is app config in the new frontend system too.
    const content = kratixFrontendPlugin.getExtension(
      'entity-content:kratix',
    ) as unknown as {
      configSchema: { parse(input: unknown): Record<string, unknown> };
    };
    expect(content.configSchema.parse({ expandUpTo: 3 })).toMatchObject({
      expandUpTo: 3,
    });
    expect(() => content.configSchema.parse({ expandUpTo: -1 })).toThrow(
      /expandUpTo/,
    );
    expect(
      kratixFrontendPlugin.getExtension('entity-card:kratix/status'),
    ).toEqual(expect.objectContaining({ kind: 'entity-card', name: 'status' }));
    expect(kratixFrontendPlugin.getExtension('api:kratix')).toEqual(
      expect.objectContaining({ kind: 'api', namespace: 'kratix' }),
    );
    // The scaffolder's form fields API collects it: templates use KratixResourceNameField.
    expect(
      kratixFrontendPlugin.getExtension(
        'scaffolder-form-field:kratix/resource-name',
      ),
    ).toEqual(
      expect.objectContaining({
        kind: 'scaffolder-form-field',
        attachTo: { id: 'api:scaffolder/form-fields', input: 'formFields' },
      }),
    );
  });
});
