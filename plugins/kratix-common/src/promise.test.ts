import {
  getPromiseApi,
  isPromiseUnavailable,
  promiseUnavailableReason,
  specSchemaOf,
  type KratixPromiseObject,
} from './promise';
import type { KratixPromiseView } from './types';

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

describe('isPromiseUnavailable and promiseUnavailableReason', () => {
  const promiseView = (
    status: string | undefined,
    conditions: KratixPromiseView['conditions'],
    requiredPromises?: string[],
  ): KratixPromiseView =>
    ({
      name: 'team-database',
      kind: 'TeamDatabase',
      cluster: 'sandbox',
      status,
      conditions,
      requiredPromises,
    } as KratixPromiseView);

  it('knows a Promise is unavailable only when Kratix says so', () => {
    expect(isPromiseUnavailable(promiseView(undefined, []))).toBe(false);
    expect(isPromiseUnavailable(promiseView('Available', []))).toBe(false);
    expect(isPromiseUnavailable(promiseView('Unavailable', []))).toBe(true);
  });

  it('says why in the failing condition’s words, then what it requires', () => {
    expect(
      promiseUnavailableReason(
        promiseView(
          'Unavailable',
          [
            { type: 'Available', status: 'False', message: 'Unavailable' },
            {
              type: 'RequirementsFulfilled',
              status: 'False',
              reason: 'RequirementsNotInstalled',
              message: 'Requirements not fulfilled',
            },
          ],
          ['postgresql'],
        ),
      ),
    ).toBe('Requirements not fulfilled; it requires postgresql');
    expect(promiseUnavailableReason(promiseView('Unavailable', []))).toBe(
      'Kratix gives no reason',
    );
  });
});
