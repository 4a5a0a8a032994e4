/*
 * Recipients on a cluster that acts as each user: the cluster's RBAC decides who may learn of a
 * Resource, as it does for reads. Groups are expanded to their members and their child groups'
 * members, as the notifications backend does (read with the plugin's own credentials: there is no
 * request), and each user is asked about with a SubjectAccessReview for `get` on the Resource
 * (cached as every read's review is). A catalog or cluster that cannot answer fails the send, so
 * its claim is given back and a later sighting tries again; nobody is dropped silently.
 */
import type { AuthService } from '@backstage/backend-plugin-api';
import {
  RELATION_HAS_MEMBER,
  RELATION_PARENT_OF,
  parseEntityRef,
} from '@backstage/catalog-model';
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
  /** The users of a group and of its child groups, each group read once. */
  const membersOf = async (
    groupRef: string,
    seen: Set<string>,
  ): Promise<string[]> => {
    if (seen.has(groupRef)) return [];
    seen.add(groupRef);
    const group = await catalog.getEntityByRef(groupRef, {
      credentials: await auth.getOwnServiceCredentials(),
    });
    const relations = group?.relations ?? [];
    const members = relations
      .filter(r => r.type === RELATION_HAS_MEMBER)
      .map(r => normalizeEntityRef(r.targetRef) ?? r.targetRef);
    for (const child of relations.filter(r => r.type === RELATION_PARENT_OF)) {
      const ref = normalizeEntityRef(child.targetRef) ?? child.targetRef;
      members.push(...(await membersOf(ref, seen)));
    }
    return members;
  };
  return async (
    resolved: ResolvedResource,
    recipients: string[],
  ): Promise<string[]> => {
    const users = new Set<string>();
    const seen = new Set<string>();
    for (const ref of recipients) {
      const kind = parseEntityRef(ref).kind.toLocaleLowerCase('en-US');
      if (kind === 'user') users.add(ref);
      else if (kind === 'group') {
        (await membersOf(ref, seen)).forEach(u => users.add(u));
      }
    }
    const allowed: string[] = [];
    for (const user of users) {
      // Undefined: no cluster acts as each user after all; errors fail the send (see above).
      const caller = await callerForUserRef(user);
      if (caller && (await clusters.userMayGet(resolved, caller))) {
        allowed.push(user);
      }
    }
    return allowed;
  };
}
