import {
  checkCreationBounds,
  checkNamespace,
  checkResourceName,
  SpecValidator,
} from './resourceRules';

const redisSchema = {
  type: 'object',
  properties: {
    spec: {
      type: 'object',
      required: ['size'],
      properties: {
        size: { type: 'string', enum: ['small', 'large'] },
        replicas: { type: 'integer', minimum: 1 },
        config: {
          type: 'object',
          'x-kubernetes-preserve-unknown-fields': true,
        },
      },
    },
  },
};

describe('resource rules', () => {
  it('accepts Kubernetes names and rejects others, naming the field', () => {
    expect(checkResourceName('my-redis.v2')).toBe('my-redis.v2');
    expect(() => checkResourceName('My_Redis')).toThrow(
      /^name: "My_Redis" must be/,
    );
    expect(() => checkResourceName('a'.repeat(64))).toThrow(/^name: /);
    expect(() => checkResourceName('')).toThrow('name: required');
    expect(() => checkNamespace('team.a')).toThrow(/^namespace: /);
    expect(checkNamespace('team-a')).toBe('team-a');
  });

  it('validates spec against the Promise schema with the failing field named', () => {
    const validator = new SpecValidator();
    expect(() =>
      validator.validateSpec(redisSchema, {
        size: 'small',
        config: { any: 1 },
      }),
    ).not.toThrow();
    expect(() => validator.validateSpec(redisSchema, { size: 'huge' })).toThrow(
      'spec.size: must be one of "small", "large"',
    );
    expect(() => validator.validateSpec(redisSchema, {})).toThrow(
      'spec.size: required',
    );
    expect(() =>
      validator.validateSpec(redisSchema, { size: 'small', replicas: 0 }),
    ).toThrow(/^spec\.replicas: must be >= 1/);
    expect(() =>
      validator.validateSpec(undefined, { anything: true }),
    ).not.toThrow();
  });

  it('keeps creation within the configured clusters, Promises and namespaces', () => {
    const bounds = {
      allowedClusters: ['sandbox'],
      allowedPromises: ['redis'],
      allowedNamespaces: ['default', 'team-a'],
    };
    expect(() =>
      checkCreationBounds(bounds, {
        cluster: 'sandbox',
        promise: 'redis',
        namespace: 'team-a',
      }),
    ).not.toThrow();
    expect(() =>
      checkCreationBounds(bounds, {
        cluster: 'prod',
        promise: 'redis',
        namespace: 'default',
      }),
    ).toThrow(/^cluster: /);
    expect(() =>
      checkCreationBounds(bounds, {
        cluster: 'sandbox',
        promise: 'jenkins',
        namespace: 'default',
      }),
    ).toThrow(/^promise: /);
    expect(() =>
      checkCreationBounds(bounds, {
        cluster: 'sandbox',
        promise: 'redis',
        namespace: 'kube-system',
      }),
    ).toThrow(/^namespace: .*allowed: default, team-a/);
  });
});
