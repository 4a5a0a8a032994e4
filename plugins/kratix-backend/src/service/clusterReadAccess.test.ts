/*
 * The cluster's half of a read: on a cluster that acts as each user, what the policy allows a user
 * is also reviewed with the cluster; nothing is reviewed for service principals, on other clusters,
 * or where the policy already said no. The integration test (packages/backend clusterIdentity)
 * runs it against the sandbox's RBAC.
 */
import { mockCredentials } from '@backstage/backend-test-utils';
import type { PermissionsService } from '@backstage/backend-plugin-api';
import {
  createKratixResourceConditionalDecision,
  kratixResourceConditions,
  KratixClusterUnavailableError,
  type KratixCaller,
  type KratixCallerService,
  type KratixClusterService,
  type ResolvedResource,
} from '@kratix-backstage/plugin-kratix-node';
import { kratixResourceReadPermission } from '@kratix-backstage/plugin-kratix-common';
import { ClusterReadAccess } from './clusterReadAccess';
import { mayReadResources } from './readDecision';
import { EntityResources } from './EntityResources';

const guest: KratixCaller = {
  userEntityRef: 'user:default/guest',
  ownershipEntityRefs: ['user:default/guest', 'group:default/team-checkout'],
};

const resolved = (cluster: string, name: string): ResolvedResource =>
  ({
    kind: { cluster, promise: 'redis', group: 'marketplace.kratix.io' },
    object: {
      apiVersion: 'marketplace.kratix.io/v1alpha1',
      kind: 'redis',
      metadata: { name, namespace: 'default' },
    },
  } as unknown as ResolvedResource);

/** `rbac` acts as each user and lets them get what is not named `hidden*`; `plain` does not. */
function setUp(review?: (name: string) => Promise<boolean>) {
  const reviewed: string[] = [];
  const clusters = {
    actsAsUser: (cluster: string) => cluster === 'rbac',
    userMayGet: async (resource: ResolvedResource, caller: KratixCaller) => {
      expect(caller).toBe(guest);
      reviewed.push(resource.object.metadata.name);
      return review
        ? review(resource.object.metadata.name)
        : !resource.object.metadata.name.startsWith('hidden');
    },
  } as unknown as KratixClusterService;
  const forCredentials = jest.fn(async () => guest);
  const callers = {
    forCredentials,
  } as unknown as KratixCallerService;
  return {
    access: new ClusterReadAccess(clusters, callers),
    reviewed,
    forCredentials,
  };
}

/** A policy that lets the guest read only team-checkout's Resources. */
const permissions = {
  authorizeConditional: async () => [
    createKratixResourceConditionalDecision(kratixResourceReadPermission, {
      ...kratixResourceConditions.isResourceOwner({
        claims: ['group:default/team-checkout'],
      }),
    }),
  ],
} as unknown as PermissionsService;

const permissionResource = (r: ResolvedResource, owner: string) =>
  EntityResources.permissionResource(r, [owner]);

describe('the cluster review in mayReadResources', () => {
  it('denies what the cluster would not let the user get, reviewing only what the policy allows on clusters that act as each user', async () => {
    const { access, reviewed } = setUp();
    const resources = [
      resolved('rbac', 'shown'),
      resolved('rbac', 'hidden-by-rbac'),
      resolved('rbac', 'hidden-by-policy'),
      resolved('plain', 'hidden-but-not-reviewed'),
    ];
    const owners = [
      'group:default/team-checkout',
      'group:default/team-checkout',
      'group:default/team-platform',
      'group:default/team-checkout',
    ];
    expect(
      await mayReadResources(
        permissions,
        mockCredentials.user('user:default/guest'),
        resources.map((r, i) => permissionResource(r, owners[i])),
        { cluster: { access, resolved: resources } },
      ),
    ).toEqual([true, false, false, true]);
    expect(reviewed.sort()).toEqual(['hidden-by-rbac', 'shown']);
  });

  it('reviews nothing for a service principal', async () => {
    const { access, reviewed, forCredentials } = setUp();
    expect(
      await access.mayGet(mockCredentials.service('external:status-bot'), [
        resolved('rbac', 'hidden-by-rbac'),
      ]),
    ).toEqual([true]);
    expect(reviewed).toEqual([]);
    expect(forCredentials).not.toHaveBeenCalled();
  });

  it('fails the read with the cluster’s error when the review cannot be asked', async () => {
    const { access } = setUp(async () => {
      throw Object.assign(new Error('HTTP 403'), { code: 403 });
    });
    const read = access.mayGet(mockCredentials.user('user:default/guest'), [
      resolved('rbac', 'shown'),
    ]);
    await expect(read).rejects.toBeInstanceOf(KratixClusterUnavailableError);
    await expect(read).rejects.toThrow(
      "Cluster rbac does not allow Backstage's service account this call",
    );
  });
});
