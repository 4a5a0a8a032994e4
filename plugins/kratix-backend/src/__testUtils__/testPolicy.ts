/*
 * The permission policy of the plugin tests, installed in the REAL permission backend (so its
 * conditional decisions travel and are applied exactly as in an app):
 *  - a user of no team (ownership claims naming no group) is refused everything;
 *  - everyone else lists Promises; reads catalog entities, except those annotated
 *    `example.com/visibility: platform-team` unless they own them (the catalog rule isEntityOwner);
 *    reads the Kratix Resources their teams own (the Kratix rule IS_RESOURCE_OWNER);
 *  - pipeline logs (kratix.resource.logs.read) are read only by team-platform's members, of the
 *    Resources team-platform owns: the reader reads team-checkout's Resources, not their logs;
 *  - and writes nothing: kratix.resource.create, .create.unlinked, .update and .delete are DENY.
 */
import { createBackendModule } from '@backstage/backend-plugin-api';
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
  kratixResourceLogsReadPermission,
  kratixResourceReadPermission,
} from '@kratix-backstage/plugin-kratix-common';
import {
  createKratixResourceConditionalDecision,
  kratixResourceConditions,
} from '@kratix-backstage/plugin-kratix-node';
import { VISIBILITY_ANNOTATION } from './seedCatalog';

const DENY: PolicyDecision = { result: AuthorizeResult.DENY };
const ALLOW: PolicyDecision = { result: AuthorizeResult.ALLOW };

export class ReadOnlyTestPolicy implements PermissionPolicy {
  async handle(
    request: PolicyQuery,
    user?: PolicyQueryUser,
  ): Promise<PolicyDecision> {
    const { permission } = request;
    const claims = user?.info.ownershipEntityRefs ?? [];
    if (!claims.some(ref => ref.startsWith('group:'))) return DENY;
    if (isPermission(permission, kratixPromiseReadPermission)) return ALLOW;
    if (isPermission(permission, catalogEntityReadPermission)) {
      return createCatalogConditionalDecision(permission, {
        anyOf: [
          {
            not: catalogConditions.hasAnnotation({
              annotation: VISIBILITY_ANNOTATION,
              value: 'platform-team',
            }),
          },
          catalogConditions.isEntityOwner({ claims }),
        ],
      });
    }
    if (isPermission(permission, kratixResourceReadPermission)) {
      return createKratixResourceConditionalDecision(
        permission,
        kratixResourceConditions.isResourceOwner({ claims }),
      );
    }
    if (isPermission(permission, kratixResourceLogsReadPermission)) {
      const platform = claims.filter(c => c === 'group:default/team-platform');
      return platform.length
        ? createKratixResourceConditionalDecision(
            permission,
            kratixResourceConditions.isResourceOwner({ claims: platform }),
          )
        : DENY;
    }
    // Every other Kratix permission is a write (create, create.unlinked, update, delete).
    if (permission.name.startsWith('kratix.')) return DENY;
    return ALLOW;
  }
}

export const readOnlyTestPolicyModule = createBackendModule({
  pluginId: 'permission',
  moduleId: 'kratix-read-only-test-policy',
  register(reg) {
    reg.registerInit({
      deps: { policy: policyExtensionPoint },
      async init({ policy }) {
        policy.setPolicy(new ReadOnlyTestPolicy());
      },
    });
  },
});
