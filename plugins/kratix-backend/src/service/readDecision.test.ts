import { mockCredentials } from '@backstage/backend-test-utils';
import type { PermissionsService } from '@backstage/backend-plugin-api';
import {
  AuthorizeResult,
  type PolicyDecision,
} from '@backstage/plugin-permission-common';
import {
  createKratixResourceConditionalDecision,
  kratixResourceConditions,
  type KratixPermissionResource,
} from '@kratix-backstage/plugin-kratix-node';
import { kratixResourceReadPermission } from '@kratix-backstage/plugin-kratix-common';
import { mayReadResources } from './readDecision';

const resource = (
  overrides: Partial<KratixPermissionResource>,
): KratixPermissionResource => ({
  cluster: 'sandbox',
  promise: 'redis',
  namespace: 'default',
  name: 'cache',
  labels: {},
  owners: ['group:default/team-search'],
  ...overrides,
});

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

const credentials = mockCredentials.user('user:default/guest');

describe('mayReadResources', () => {
  it('evaluates Kratix Resource conditions per Resource, without a remote check', async () => {
    const decision = createKratixResourceConditionalDecision(
      kratixResourceReadPermission,
      {
        anyOf: [
          kratixResourceConditions.isResourceOwner({
            claims: ['group:default/Team-Search'],
          }),
          kratixResourceConditions.isInNamespace({ namespaces: ['shared'] }),
        ],
      },
    );
    const { service, remoteRefs } = permissionsAnswering(decision);
    expect(
      await mayReadResources(service, credentials, [
        resource({}),
        resource({ owners: ['group:default/team-platform'] }),
        resource({ owners: [], namespace: 'shared' }),
      ]),
    ).toEqual([true, false, true]);
    expect(remoteRefs).toEqual([]);
  });

  it('asks the permission backend per Resource for conditions with rules it does not know', async () => {
    const { service, remoteRefs } = permissionsAnswering(
      {
        result: AuthorizeResult.CONDITIONAL,
        pluginId: 'kratix',
        resourceType: 'kratix-resource',
        conditions: {
          rule: 'SOME_ADOPTER_RULE',
          resourceType: 'kratix-resource',
          params: {},
        },
      },
      AuthorizeResult.ALLOW,
    );
    expect(
      await mayReadResources(service, credentials, [resource({})]),
    ).toEqual([true]);
    expect(remoteRefs).toEqual(['sandbox:redis/default/cache']);
  });

  it('follows definitive decisions for every Resource, and asks nothing for none', async () => {
    const allow = permissionsAnswering({ result: AuthorizeResult.ALLOW });
    expect(
      await mayReadResources(allow.service, credentials, [
        resource({}),
        resource({}),
      ]),
    ).toEqual([true, true]);
    const deny = permissionsAnswering({ result: AuthorizeResult.DENY });
    expect(
      await mayReadResources(deny.service, credentials, [resource({})]),
    ).toEqual([false]);
    expect(await mayReadResources(deny.service, credentials, [])).toEqual([]);
  });
});
