/*
 * The permission policy of this Backstage: a realistic one for a platform team using Kratix.
 *  - kratix.resource.read: conditional — a user reads the Kratix Resources of entities their team
 *    (or they) own, decided with the catalog's isEntityOwner rule.
 *  - kratix.resource.create: teams request platform services — allowed for users who belong to a
 *    group, denied to users on no team and to non-user principals. Where (clusters, namespaces,
 *    Promises) is bounded by kratix.creation in config.
 *  - everything else is allowed, as in a default Backstage.
 */
import {
  coreServices,
  createBackendModule,
  type UserInfoService,
} from '@backstage/backend-plugin-api';
import {
  catalogConditions,
  createCatalogConditionalDecision,
} from '@backstage/plugin-catalog-backend/alpha';
import {
  AuthorizeResult,
  isPermission,
  type PolicyDecision,
} from '@backstage/plugin-permission-common';
import type {
  PermissionPolicy,
  PolicyQuery,
  PolicyQueryUser,
} from '@backstage/plugin-permission-node';
import { policyExtensionPoint } from '@backstage/plugin-permission-node/alpha';
import {
  kratixResourceCreatePermission,
  kratixResourceReadPermission,
} from '@kratix-backstage/plugin-kratix-common';

export class KratixPermissionPolicy implements PermissionPolicy {
  constructor(private readonly userInfo: UserInfoService) {}

  async handle(
    request: PolicyQuery,
    user?: PolicyQueryUser,
  ): Promise<PolicyDecision> {
    const isRead = isPermission(
      request.permission,
      kratixResourceReadPermission,
    );
    const isCreate = isPermission(
      request.permission,
      kratixResourceCreatePermission,
    );
    if (!isRead && !isCreate) return { result: AuthorizeResult.ALLOW };
    if (!user) return { result: AuthorizeResult.DENY };

    const { ownershipEntityRefs } = await this.userInfo.getUserInfo(
      user.credentials,
    );
    if (isRead) {
      return createCatalogConditionalDecision(
        kratixResourceReadPermission,
        catalogConditions.isEntityOwner({ claims: ownershipEntityRefs }),
      );
    }
    const onATeam = ownershipEntityRefs.some(ref => ref.startsWith('group:'));
    return { result: onATeam ? AuthorizeResult.ALLOW : AuthorizeResult.DENY };
  }
}

export default createBackendModule({
  pluginId: 'permission',
  moduleId: 'kratix-policy',
  register(env) {
    env.registerInit({
      deps: { policy: policyExtensionPoint, userInfo: coreServices.userInfo },
      async init({ policy, userInfo }) {
        policy.setPolicy(new KratixPermissionPolicy(userInfo));
      },
    });
  },
});
