/*
 * The permission policy of this Backstage: a realistic one for a platform team using Kratix.
 *  - kratix.resource.read (on the Kratix Resource): the platform team (kratix.platformTeam) reads
 *    every Resource; anyone else reads the Resources their team (or they) own, decided with the
 *    Kratix rule IS_RESOURCE_OWNER (owners of the entity the platform links the Resource to).
 *  - kratix.resource.create / update / delete (on the target entity): the entity's owners, decided
 *    with the catalog's isEntityOwner rule; the platform team everywhere.
 *  - kratix.resource.create.unlinked (a Resource for no entity): the platform team only.
 *  - kratix.promise.read: every signed-in user.
 *  - catalog.entity.read: entities annotated `example.com/visibility: platform-team` are visible to
 *    the platform team only (so "an entity you cannot see" is a real case here); others to everyone.
 *  - everything else is allowed, as in a default Backstage.
 * Service principals never reach a policy: Backstage allows them, limited by the access
 * restrictions of their external access token; the Kratix backend lets them read, never write.
 */
import {
  coreServices,
  createBackendModule,
  type UserInfoService,
} from '@backstage/backend-plugin-api';
import { stringifyEntityRef, parseEntityRef } from '@backstage/catalog-model';
import {
  catalogConditions,
  createCatalogConditionalDecision,
} from '@backstage/plugin-catalog-backend/alpha';
import { catalogEntityReadPermission } from '@backstage/plugin-catalog-common/alpha';
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
  kratixPromiseReadPermission,
  kratixResourceCreatePermission,
  kratixResourceDeletePermission,
  kratixResourceReadPermission,
  kratixResourceUpdatePermission,
} from '@kratix-backstage/plugin-kratix-common';
import {
  createKratixResourceConditionalDecision,
  kratixResourceConditions,
} from '@kratix-backstage/plugin-kratix-node';

/** Entities with this annotation (value `platform-team`) are hidden from everyone but the platform team. */
export const VISIBILITY_ANNOTATION = 'example.com/visibility';

const entityWrites = [
  kratixResourceCreatePermission,
  kratixResourceUpdatePermission,
  kratixResourceDeletePermission,
];

export class KratixPermissionPolicy implements PermissionPolicy {
  private readonly platformTeam?: string;

  constructor(
    private readonly userInfo: UserInfoService,
    options: { platformTeam?: string } = {},
  ) {
    this.platformTeam = options.platformTeam
      ? stringifyEntityRef(
          parseEntityRef(options.platformTeam, { defaultKind: 'group' }),
        )
      : undefined;
  }

  async handle(
    request: PolicyQuery,
    user?: PolicyQueryUser,
  ): Promise<PolicyDecision> {
    const { permission } = request;
    const isCatalogRead = isPermission(permission, catalogEntityReadPermission);
    if (!permission.name.startsWith('kratix.') && !isCatalogRead) {
      return { result: AuthorizeResult.ALLOW };
    }
    if (!user) return { result: AuthorizeResult.DENY };
    if (isPermission(permission, kratixPromiseReadPermission)) {
      return { result: AuthorizeResult.ALLOW };
    }

    const { ownershipEntityRefs: claims } = await this.userInfo.getUserInfo(
      user.credentials,
    );
    const onPlatformTeam =
      this.platformTeam !== undefined && claims.includes(this.platformTeam);
    if (onPlatformTeam) return { result: AuthorizeResult.ALLOW };
    if (
      isCatalogRead &&
      isPermission(permission, catalogEntityReadPermission)
    ) {
      return createCatalogConditionalDecision(permission, {
        not: catalogConditions.hasAnnotation({
          annotation: VISIBILITY_ANNOTATION,
          value: 'platform-team',
        }),
      });
    }

    if (isPermission(permission, kratixResourceReadPermission)) {
      return createKratixResourceConditionalDecision(
        permission,
        kratixResourceConditions.isResourceOwner({ claims }),
      );
    }
    const write = entityWrites.find(p => isPermission(permission, p));
    if (write && isPermission(permission, write)) {
      return createCatalogConditionalDecision(
        write,
        catalogConditions.isEntityOwner({ claims }),
      );
    }
    // kratix.resource.create.unlinked (platform team only) and Kratix permissions this policy does not know.
    return { result: AuthorizeResult.DENY };
  }
}

export default createBackendModule({
  pluginId: 'permission',
  moduleId: 'kratix-policy',
  register(env) {
    env.registerInit({
      deps: {
        policy: policyExtensionPoint,
        userInfo: coreServices.userInfo,
        config: coreServices.rootConfig,
      },
      async init({ policy, userInfo, config }) {
        policy.setPolicy(
          new KratixPermissionPolicy(userInfo, {
            platformTeam: config.getOptionalString('kratix.platformTeam'),
          }),
        );
      },
    });
  },
});
