/* `catalog.providers.kratix.templates`: a boolean as before, or an object with the template rules. */
import { ConfigReader } from '@backstage/config';
import type { JsonValue } from '@backstage/types';
import { DEFAULT_TEMPLATE_RULES, readProviderOptions } from './options';

const read = (templates: JsonValue) =>
  readProviderOptions(
    new ConfigReader({ catalog: { providers: { kratix: { templates } } } }),
  );

describe('catalog.providers.kratix.templates', () => {
  it('defaults: generated, yielding to curated templates, Unavailable marked, Components own requests', () => {
    const options = readProviderOptions(new ConfigReader({}));
    expect(options.templates).toBe(true);
    expect(options.templateRules).toEqual({
      yieldToCurated: true,
      unavailable: 'mark',
      ownerKinds: ['Component'],
    });
    expect(read(false)).toMatchObject({
      templates: false,
      templateRules: DEFAULT_TEMPLATE_RULES,
    });
  });

  it('reads the rules from an object', () => {
    expect(
      read({
        yieldToCurated: false,
        unavailable: 'omit',
        ownerKinds: ['Component', 'API'],
      }),
    ).toMatchObject({
      templates: true,
      templateRules: {
        yieldToCurated: false,
        unavailable: 'omit',
        ownerKinds: ['Component', 'API'],
      },
    });
    expect(read({ enabled: false }).templates).toBe(false);
  });

  it('refuses what it cannot follow, naming the key', () => {
    expect(() => read({ unavailable: 'hide' })).toThrow(
      'catalog.providers.kratix.templates.unavailable: "hide" is not one of mark, omit',
    );
    expect(() => read({ ownerKinds: [] })).toThrow(
      /templates\.ownerKinds: name at least one kind/,
    );
  });
});
