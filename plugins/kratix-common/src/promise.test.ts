import {
  getPromiseApi,
  specSchemaOf,
  type KratixPromiseObject,
} from './promise';

const spec = { type: 'object', properties: { size: { type: 'string' } } };

const promise = (versions: unknown[]): KratixPromiseObject => ({
  apiVersion: 'platform.kratix.io/v1alpha1',
  kind: 'Promise',
  metadata: { name: 'redis' },
  spec: {
    api: {
      spec: {
        group: 'marketplace.kratix.io',
        names: { kind: 'redis', plural: 'redis' },
        versions,
      },
    },
  },
});

describe('specSchemaOf', () => {
  it("reads properties.spec of the storage version's openAPIV3Schema", () => {
    const api = getPromiseApi(
      promise([
        { name: 'v1alpha1', schema: { openAPIV3Schema: { type: 'object' } } },
        {
          name: 'v1',
          storage: true,
          schema: {
            openAPIV3Schema: { type: 'object', properties: { spec } },
          },
        },
      ]),
    );
    expect(api?.version).toBe('v1');
    expect(specSchemaOf(api?.schema)).toBe(spec);
  });

  it('answers undefined when there is no spec schema to read', () => {
    expect(specSchemaOf(undefined)).toBeUndefined();
    expect(specSchemaOf({ type: 'object' })).toBeUndefined();
    expect(specSchemaOf({ properties: { spec: 'object' } })).toBeUndefined();
    expect(specSchemaOf({ properties: [spec] })).toBeUndefined();
  });
});
