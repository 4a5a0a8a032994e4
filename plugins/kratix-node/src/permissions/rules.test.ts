/*
 * The Kratix Resource permission rules: each rule's `apply` on its own (matching, not matching, the
 * edge cases a policy author meets), that none can be turned into a query, and conditions built
 * with `kratixResourceConditions` decided by the permission framework's own plumbing: a plugin
 * registers the rules through the permissions registry, as the Kratix backend does, and the
 * registry's apply-conditions endpoint (what the permission backend calls) answers.
 */
import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import {
  mockCredentials,
  startTestBackend,
  type TestBackend,
} from '@backstage/backend-test-utils';
import {
  AuthorizeResult,
  type PermissionCondition,
  type PermissionCriteria,
} from '@backstage/plugin-permission-common';
import { createConditionTransformer } from '@backstage/plugin-permission-node';
import {
  kratixResourceReadPermission,
  RESOURCE_TYPE_KRATIX_RESOURCE,
  stringifyKratixPermissionRef,
} from '@kratix-backstage/plugin-kratix-common';
import {
  createKratixResourceConditionalDecision,
  kratixResourceConditions,
} from './conditions';
import {
  kratixResourcePermissionResourceRef,
  type KratixPermissionResource,
} from './resourceRef';
import {
  hasEntityRef,
  isOfPromise,
  isOnCluster,
  kratixResourcePermissionRules,
} from './rules';

const resource = (
  overrides: Partial<KratixPermissionResource> = {},
): KratixPermissionResource => ({
  cluster: 'sandbox',
  promise: 'redis',
  namespace: 'default',
  name: 'cache',
  labels: {},
  entityRef: 'component:default/checkout-service',
  owners: ['group:default/team-checkout'],
  ...overrides,
});

describe('IS_ON_CLUSTER', () => {
  it('matches a Resource on one of the named clusters, and no other', () => {
    expect(
      isOnCluster.apply(resource(), { clusters: ['edge', 'sandbox'] }),
    ).toBe(true);
    expect(
      isOnCluster.apply(resource({ cluster: 'edge' }), {
        clusters: ['sandbox'],
      }),
    ).toBe(false);
  });

  it('compares names exactly as kratix.clusters spells them: no case folding, no prefixes', () => {
    expect(isOnCluster.apply(resource(), { clusters: ['Sandbox'] })).toBe(
      false,
    );
    expect(isOnCluster.apply(resource(), { clusters: ['sand'] })).toBe(false);
    expect(
      isOnCluster.apply(resource({ cluster: 'sandbox-2' }), {
        clusters: ['sandbox'],
      }),
    ).toBe(false);
  });

  it('matches nothing when no cluster is named', () => {
    expect(isOnCluster.apply(resource(), { clusters: [] })).toBe(false);
  });
});

describe('IS_OF_PROMISE', () => {
  it('matches a Resource of one of the named Promises, and no other', () => {
    expect(
      isOfPromise.apply(resource(), { promises: ['jenkins', 'redis'] }),
    ).toBe(true);
    expect(
      isOfPromise.apply(resource({ promise: 'jenkins' }), {
        promises: ['redis'],
      }),
    ).toBe(false);
  });

  it('compares Promise names exactly (they are lower-case Kubernetes names): not kinds, not prefixes', () => {
    expect(isOfPromise.apply(resource(), { promises: ['Redis'] })).toBe(false);
    expect(isOfPromise.apply(resource(), { promises: ['red'] })).toBe(false);
    expect(
      isOfPromise.apply(resource({ promise: 'redis-cluster' }), {
        promises: ['redis'],
      }),
    ).toBe(false);
  });

  it('matches nothing when no Promise is named', () => {
    expect(isOfPromise.apply(resource(), { promises: [] })).toBe(false);
  });
});

describe('HAS_ENTITY_REF', () => {
  it('without entity refs, matches any Resource that names an entity, and none that names none', () => {
    expect(hasEntityRef.apply(resource(), {})).toBe(true);
    expect(hasEntityRef.apply(resource({ entityRef: undefined }), {})).toBe(
      false,
    );
    expect(hasEntityRef.apply(resource({ entityRef: '' }), {})).toBe(false);
    expect(hasEntityRef.apply(resource({ entityRef: '   ' }), {})).toBe(false);
  });

  it('matches the Resource whose annotation names one of the given entities, and no other', () => {
    expect(
      hasEntityRef.apply(resource(), {
        entityRefs: [
          'component:default/search-service',
          'component:default/checkout-service',
        ],
      }),
    ).toBe(true);
    expect(
      hasEntityRef.apply(resource(), {
        entityRefs: ['component:default/search-service'],
      }),
    ).toBe(false);
    expect(
      hasEntityRef.apply(resource({ entityRef: undefined }), {
        entityRefs: ['component:default/checkout-service'],
      }),
    ).toBe(false);
  });

  it('compares refs case-insensitively, as the catalog does', () => {
    expect(
      hasEntityRef.apply(
        resource({ entityRef: 'Component:Default/Checkout-Service' }),
        { entityRefs: ['component:default/checkout-service'] },
      ),
    ).toBe(true);
    expect(
      hasEntityRef.apply(resource(), {
        entityRefs: ['COMPONENT:DEFAULT/CHECKOUT-SERVICE'],
      }),
    ).toBe(true);
  });

  it('reads a ref without a namespace as one in the default namespace, on either side, as the read path does', () => {
    // The annotation as a user may write it: the read path binds it to component:default/checkout-service.
    expect(
      hasEntityRef.apply(
        resource({ entityRef: 'component:checkout-service' }),
        {
          entityRefs: ['component:default/checkout-service'],
        },
      ),
    ).toBe(true);
    expect(
      hasEntityRef.apply(resource(), {
        entityRefs: ['component:checkout-service'],
      }),
    ).toBe(true);
    expect(
      hasEntityRef.apply(
        resource({ entityRef: ' component:default/checkout-service ' }),
        { entityRefs: ['component:default/checkout-service'] },
      ),
    ).toBe(true);
    // The namespace still counts when given.
    expect(
      hasEntityRef.apply(
        resource({ entityRef: 'component:shop/checkout-service' }),
        { entityRefs: ['component:checkout-service'] },
      ),
    ).toBe(false);
    // So does the kind.
    expect(
      hasEntityRef.apply(resource(), {
        entityRefs: ['system:default/checkout-service'],
      }),
    ).toBe(false);
  });

  it('counts an annotation that names no entity (no kind, unreadable) as naming none', () => {
    for (const entityRef of ['checkout-service', 'component:', ':/']) {
      expect(hasEntityRef.apply(resource({ entityRef }), {})).toBe(false);
      expect(
        hasEntityRef.apply(resource({ entityRef }), {
          entityRefs: [entityRef],
        }),
      ).toBe(false);
    }
  });

  it('matches nothing when an empty list of refs is given', () => {
    expect(hasEntityRef.apply(resource(), { entityRefs: [] })).toBe(false);
  });
});

describe('the rules as queries', () => {
  it('refuses to turn any condition into a query: Kratix Resources are decided in memory', () => {
    const transform = createConditionTransformer(
      Object.values(kratixResourcePermissionRules),
    );
    for (const condition of [
      kratixResourceConditions.isOnCluster({ clusters: ['sandbox'] }),
      kratixResourceConditions.isOfPromise({ promises: ['redis'] }),
      kratixResourceConditions.hasEntityRef({}),
    ]) {
      expect(() => transform(condition)).toThrow(
        'Kratix Resource conditions cannot be turned into queries',
      );
    }
  });
});

describe('conditions through the permissions registry', () => {
  const resources: KratixPermissionResource[] = [
    resource({ name: 'checkout-cache' }),
    resource({
      name: 'edge-cache',
      cluster: 'edge',
      entityRef: 'Component:search-service',
    }),
    resource({ name: 'ci', promise: 'jenkins', entityRef: undefined }),
  ];
  const refOf = (r: KratixPermissionResource) =>
    stringifyKratixPermissionRef(r);
  let backend: TestBackend;

  beforeAll(async () => {
    backend = await startTestBackend({
      features: [
        // Registers the resource type as the Kratix backend does: every rule of the package.
        createBackendPlugin({
          pluginId: 'kratix',
          register(env) {
            env.registerInit({
              deps: { permissionsRegistry: coreServices.permissionsRegistry },
              async init({ permissionsRegistry }) {
                permissionsRegistry.addResourceType({
                  resourceRef: kratixResourcePermissionResourceRef,
                  permissions: [kratixResourceReadPermission],
                  rules: Object.values(kratixResourcePermissionRules),
                  getResources: async refs =>
                    refs.map(ref => resources.find(r => refOf(r) === ref)),
                });
              },
            });
          },
        }),
      ],
    });
  });
  afterAll(() => backend?.stop());

  const wellKnown = (route: string, init?: RequestInit) =>
    fetch(
      `http://localhost:${backend.server.port()}/api/kratix/.well-known/backstage/permissions/${route}`,
      {
        ...init,
        headers: {
          // What the permission backend sends: a service token.
          authorization: mockCredentials.service.header(),
          'content-type': 'application/json',
        },
      },
    );

  /** The registry's answer for each ref, as the permission backend would get it. */
  async function applyConditions(
    conditions: PermissionCriteria<PermissionCondition>,
    refs: string[],
  ) {
    const res = await wellKnown('apply-conditions', {
      method: 'POST',
      body: JSON.stringify({
        items: [
          {
            id: '1',
            resourceRef: refs,
            resourceType: RESOURCE_TYPE_KRATIX_RESOURCE,
            conditions,
          },
        ],
      }),
    });
    const body = await res.json();
    if (res.status !== 200) {
      throw new Error(`${res.status} ${JSON.stringify(body)}`);
    }
    return body.items[0].result as AuthorizeResult[];
  }

  it('serves every rule of the conditions for the kratix-resource type', async () => {
    const res = await wellKnown('metadata');
    expect(res.status).toBe(200);
    const { rules } = await res.json();
    const served = rules.map((r: { name: string; resourceType: string }) => [
      r.name,
      r.resourceType,
    ]);
    for (const build of [
      kratixResourceConditions.isOnCluster({ clusters: [] }),
      kratixResourceConditions.isOfPromise({ promises: [] }),
      kratixResourceConditions.hasEntityRef({}),
      kratixResourceConditions.isResourceOwner({ claims: [] }),
      kratixResourceConditions.isInNamespace({ namespaces: [] }),
    ]) {
      expect(served).toContainEqual([
        build.rule,
        RESOURCE_TYPE_KRATIX_RESOURCE,
      ]);
    }
  });

  it('decides a conditional decision per Resource, each rule with its own params', async () => {
    const decision = createKratixResourceConditionalDecision(
      kratixResourceReadPermission,
      {
        anyOf: [
          {
            allOf: [
              kratixResourceConditions.isOnCluster({ clusters: ['sandbox'] }),
              kratixResourceConditions.isOfPromise({ promises: ['redis'] }),
            ],
          },
          kratixResourceConditions.hasEntityRef({
            entityRefs: ['component:default/search-service'],
          }),
        ],
      },
    );
    expect(decision).toMatchObject({
      result: AuthorizeResult.CONDITIONAL,
      pluginId: 'kratix',
      resourceType: RESOURCE_TYPE_KRATIX_RESOURCE,
    });
    expect(
      await applyConditions(decision.conditions, [
        ...resources.map(refOf),
        'sandbox:redis/default/no-such-cache',
      ]),
    ).toEqual([
      AuthorizeResult.ALLOW, // sandbox and redis
      AuthorizeResult.ALLOW, // names search-service (without namespace, in another case)
      AuthorizeResult.DENY, // jenkins, names no entity
      AuthorizeResult.DENY, // no such Resource
    ]);

    // Each rule alone, and negated.
    const answers = async (
      conditions: PermissionCriteria<PermissionCondition>,
    ) => applyConditions(conditions, resources.map(refOf));
    const { ALLOW, DENY } = AuthorizeResult;
    expect(
      await answers(
        kratixResourceConditions.isOnCluster({ clusters: ['edge'] }),
      ),
    ).toEqual([DENY, ALLOW, DENY]);
    expect(
      await answers(
        kratixResourceConditions.isOfPromise({ promises: ['jenkins'] }),
      ),
    ).toEqual([DENY, DENY, ALLOW]);
    expect(await answers(kratixResourceConditions.hasEntityRef({}))).toEqual([
      ALLOW,
      ALLOW,
      DENY,
    ]);
    expect(
      await answers({ not: kratixResourceConditions.hasEntityRef({}) }),
    ).toEqual([DENY, DENY, ALLOW]);
  });

  it('refuses params that do not fit a rule, rather than deciding on them', async () => {
    await expect(
      applyConditions(
        {
          rule: 'IS_ON_CLUSTER',
          resourceType: RESOURCE_TYPE_KRATIX_RESOURCE,
          params: { clusters: 'sandbox' },
        },
        [refOf(resources[0])],
      ),
    ).rejects.toThrow(/^400 .*Parameters to rule are invalid/);
  });
});
