import { mockCredentials } from '@backstage/backend-test-utils';
import type { PermissionsService } from '@backstage/backend-plugin-api';
import type { Entity } from '@backstage/catalog-model';
import {
  AuthorizeResult,
  type PolicyDecision,
} from '@backstage/plugin-permission-common';
import { mayReadKratixResources } from './readDecision';

const entity: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name: 'search-service', namespace: 'default' },
  spec: { owner: 'team-search' },
  relations: [{ type: 'ownedBy', targetRef: 'group:default/team-search' }],
};

/** A permission service answering with a fixed policy decision, recording remote checks. */
function permissionsAnswering(
  decision: PolicyDecision,
  remote: AuthorizeResult = AuthorizeResult.DENY,
) {
  const remoteRefs: string[] = [];
  const service = {
    authorizeConditional: async () => [decision],
    authorize: async (requests: Array<{ resourceRef?: string }>) => {
      remoteRefs.push(...requests.map(r => r.resourceRef ?? ''));
      return requests.map(() => ({ result: remote }));
    },
  } as unknown as PermissionsService;
  return { service, remoteRefs };
}

const ownerCondition = (claims: string[]): PolicyDecision => ({
  result: AuthorizeResult.CONDITIONAL,
  pluginId: 'catalog',
  resourceType: 'catalog-entity',
  conditions: {
    rule: 'IS_ENTITY_OWNER',
    resourceType: 'catalog-entity',
    params: { claims },
  },
});

const credentials = mockCredentials.user('user:default/guest');

describe('mayReadKratixResources', () => {
  it('evaluates catalog conditions on the loaded entity without a remote check', async () => {
    const owner = permissionsAnswering(
      ownerCondition(['group:default/team-search']),
    );
    expect(
      await mayReadKratixResources(owner.service, entity, credentials),
    ).toBe(true);
    const other = permissionsAnswering(
      ownerCondition(['group:default/team-platform']),
    );
    expect(
      await mayReadKratixResources(other.service, entity, credentials),
    ).toBe(false);
    expect([...owner.remoteRefs, ...other.remoteRefs]).toEqual([]);
  });

  it('asks the permission backend about the entity when a condition uses an unknown rule', async () => {
    const custom: PolicyDecision = {
      result: AuthorizeResult.CONDITIONAL,
      pluginId: 'catalog',
      resourceType: 'catalog-entity',
      conditions: {
        anyOf: [
          {
            rule: 'IS_ENTITY_OWNER',
            resourceType: 'catalog-entity',
            params: { claims: [] },
          },
          {
            rule: 'HAS_COST_CENTRE',
            resourceType: 'catalog-entity',
            params: {},
          },
        ],
      },
    };
    const allowedRemotely = permissionsAnswering(custom, AuthorizeResult.ALLOW);
    expect(
      await mayReadKratixResources(
        allowedRemotely.service,
        entity,
        credentials,
      ),
    ).toBe(true);
    expect(allowedRemotely.remoteRefs).toEqual([
      'component:default/search-service',
    ]);
    const deniedRemotely = permissionsAnswering(custom, AuthorizeResult.DENY);
    expect(
      await mayReadKratixResources(deniedRemotely.service, entity, credentials),
    ).toBe(false);
  });

  it('follows definitive decisions', async () => {
    const allow = permissionsAnswering({ result: AuthorizeResult.ALLOW });
    const deny = permissionsAnswering({ result: AuthorizeResult.DENY });
    expect(
      await mayReadKratixResources(allow.service, entity, credentials),
    ).toBe(true);
    expect(
      await mayReadKratixResources(deny.service, entity, credentials),
    ).toBe(false);
  });
});
