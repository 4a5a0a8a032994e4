import { KubeApiError } from './errors';
import { REDIS, redis, storeWithRedis } from './testFixtures';

function invalidError(fn: () => unknown): KubeApiError {
  try {
    fn();
  } catch (error) {
    if (error instanceof KubeApiError && error.code === 422) return error;
    throw error;
  }
  throw new Error('expected 422');
}

describe('schema admission', () => {
  it('prunes unknown fields except under x-kubernetes-preserve-unknown-fields', () => {
    const store = storeWithRedis();
    const created = store.create(REDIS, {
      ...redis('a', {
        size: 'large',
        unknown: 1,
        config: { anything: { deep: true } },
      }),
      extra: 'dropped',
    });
    expect(created.spec).toEqual({
      size: 'large',
      replicas: 1,
      config: { anything: { deep: true } },
    });
    expect(created.extra).toBeUndefined();
    expect(created.metadata.name).toBe('a');
  });

  it('applies defaults, including inside array items', () => {
    const store = storeWithRedis();
    const created = store.create(REDIS, redis('a', { users: [{ name: 'x' }] }));
    expect(created.spec).toEqual({
      size: 'small',
      replicas: 1,
      users: [{ name: 'x', admin: false }],
    });
  });

  it('accepts int-or-string and nullable values', () => {
    const store = storeWithRedis();
    expect(
      store.create(REDIS, redis('a', { port: 'http', owner: null })).spec,
    ).toMatchObject({ port: 'http', owner: null });
    expect(store.create(REDIS, redis('b', { port: 80 })).spec).toMatchObject({
      port: 80,
    });
    const error = invalidError(() =>
      store.create(REDIS, redis('c', { port: true })),
    );
    expect(error.details?.causes?.[0].field).toBe('spec.port');
  });

  it('reports enum violations like Kubernetes', () => {
    const store = storeWithRedis();
    const error = invalidError(() =>
      store.create(REDIS, redis('a', { size: 'huge' })),
    );
    expect(error.reason).toBe('Invalid');
    expect(error.message).toBe(
      'redis.marketplace.kratix.io "a" is invalid: spec.size: Unsupported value: "huge": supported values: "small", "large"',
    );
    expect(error.details).toMatchObject({
      name: 'a',
      group: 'marketplace.kratix.io',
      kind: 'redis',
    });
    expect(error.details?.causes).toEqual([
      {
        reason: 'FieldValueNotSupported',
        field: 'spec.size',
        message:
          'Unsupported value: "huge": supported values: "small", "large"',
      },
    ]);
  });

  it('reports every cause: type, required, minimum', () => {
    const store = storeWithRedis();
    const error = invalidError(() =>
      store.create(
        REDIS,
        redis('a', { replicas: 'two', users: [{ admin: true }, { name: '' }] }),
      ),
    );
    const causes = error.details?.causes ?? [];
    expect(causes).toEqual(
      expect.arrayContaining([
        {
          reason: 'FieldValueTypeInvalid',
          field: 'spec.replicas',
          message:
            'Invalid value: "string": spec.replicas in body must be of type integer: "string"',
        },
        {
          reason: 'FieldValueRequired',
          field: 'spec.users[0].name',
          message: 'Required value',
        },
        {
          reason: 'FieldValueInvalid',
          field: 'spec.users[1].name',
          message:
            'Invalid value: "": spec.users[1].name in body should be at least 1 chars long',
        },
      ]),
    );
    expect(error.message).toMatch(
      /^redis\.marketplace\.kratix\.io "a" is invalid: \[/,
    );
    const min = invalidError(() =>
      store.create(REDIS, redis('b', { replicas: 0 })),
    );
    expect(min.details?.causes?.[0].message).toBe(
      'Invalid value: 0: spec.replicas in body should be greater than or equal to 1',
    );
  });

  it('validates updates and status writes too', () => {
    const store = storeWithRedis();
    const created = store.create(REDIS, redis('a'));
    invalidError(() =>
      store.update(REDIS, {
        ...structuredClone(created),
        spec: { size: 'huge' },
      }),
    );
    const status = invalidError(() =>
      store.update(
        REDIS,
        { ...structuredClone(created), status: { message: 5 } },
        { subresource: 'status' },
      ),
    );
    expect(status.details?.causes?.[0].field).toBe('status.message');
  });
});
