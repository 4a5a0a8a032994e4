/*
 * Recipients on a cluster that acts as each user: the cluster's RBAC decides who may learn of a
 * Resource, as it does for reads. Groups are expanded to their direct members (read with the
 * plugin's own credentials: there is no request), and each user is asked about with a
 * SubjectAccessReview for `get` on the Resource (cached as every read's review is).
 */
import type { AuthService } from '@backstage/backend-plugin-api';
import { RELATION_HAS_MEMBER, parseEntityRef } from '@backstage/catalog-model';
import type { CatalogService } from '@backstage/plugin-catalog-node';
import { normalizeEntityRef } from '@kratix-backstage/plugin-kratix-common';
import type {
  KratixCaller,
  KratixClusterService,
  ResolvedResource,
} from '@kratix-backstage/plugin-kratix-node';

export function createClusterRecipients(deps: {
  catalog: CatalogService;
  auth: AuthService;
  clusters: KratixClusterService;
  callerForUserRef: (
    userEntityRef: string,
  ) => Promise<KratixCaller | undefined>;
}) {
  const { catalog, auth, clusters, callerForUserRef } = deps;
  const membersOf = async (groupRef: string): Promise<string[]> => {
    const group = await catalog
      .getEntityByRef(groupRef, {
        credentials: await auth.getOwnServiceCredentials(),
      })
      .catch(() => undefined);
    return (group?.relations ?? [])
      .filter(r => r.type === RELATION_HAS_MEMBER)
      .map(r => normalizeEntityRef(r.targetRef) ?? r.targetRef);
  };
  return async (
    resolved: ResolvedResource,
    recipients: string[],
  ): Promise<string[]> => {
    const users = new Set<string>();
    for (const ref of recipients) {
      const kind = parseEntityRef(ref).kind.toLocaleLowerCase('en-US');
      if (kind === 'user') users.add(ref);
      else if (kind === 'group')
        (await membersOf(ref)).forEach(u => users.add(u));
    }
    const allowed: string[] = [];
    for (const user of users) {
      const caller = await callerForUserRef(user).catch(() => undefined);
      if (caller && (await clusters.userMayGet(resolved, caller))) {
        allowed.push(user);
      }
    }
    return allowed;
  };
}
