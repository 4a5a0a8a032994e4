/*
 * What a task log and a step's output may hold: a Resource's status only when the task's initiator
 * may read the Resource (`kratix.resource.read`, decided by the permission framework on the
 * Resource with the Kratix plugin's rules, as the read path decides it). A task's log and output
 * are as visible as the scaffolder's own `scaffolder.task.read` policy makes them, so they never
 * hold more than their initiator could see anyway. On a cluster that acts as each user (auth.type
 * impersonate or oidc) the cluster must also let the initiator `get` the Resource (clusterMayGet).
 */
import type {
  BackstageCredentials,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import {
  kratixResourceLogsReadPermission,
  kratixResourceReadPermission,
} from '@kratix-backstage/plugin-kratix-common';
import type {
  KratixCaller,
  KratixClusterService,
  ResolvedResource,
} from '@kratix-backstage/plugin-kratix-node';

/** Whether the caller may read the Resource `ref` (`<cluster>:<promise>/<namespace>/<name>`). */
export async function mayRead(
  permissions: PermissionsService,
  credentials: BackstageCredentials,
  ref: string,
): Promise<boolean> {
  const [decision] = await permissions.authorize(
    [{ permission: kratixResourceReadPermission, resourceRef: ref }],
    { credentials },
  );
  return decision.result === AuthorizeResult.ALLOW;
}

/**
 * Whether the cluster lets the caller `get` the Resource (a SubjectAccessReview, cached for
 * kratix.cache.clusterAccessSeconds); true without a caller (no cluster acts as each user) and on
 * clusters that do not act as each user.
 */
export async function clusterMayGet(
  clusters: KratixClusterService,
  resource: ResolvedResource,
  caller: KratixCaller | undefined,
): Promise<boolean> {
  return !caller || clusters.userMayGet(resource, caller);
}

/** Whether the caller may read the Resource's pipeline logs (`kratix.resource.logs.read`). */
export async function mayReadLogs(
  permissions: PermissionsService,
  credentials: BackstageCredentials,
  ref: string,
): Promise<boolean> {
  const [decision] = await permissions.authorize(
    [{ permission: kratixResourceLogsReadPermission, resourceRef: ref }],
    { credentials },
  );
  return decision.result === AuthorizeResult.ALLOW;
}

/**
 * Resolves once the Resource is in the cluster service's watch-fed cache (true), or after
 * `timeoutMs` (false). The permission framework loads the Resource from that cache to decide on
 * it, so a decision asked right after creating it would find nothing and deny.
 */
export function untilCached(
  clusters: KratixClusterService,
  resource: ResolvedResource,
  timeoutMs: number,
): Promise<boolean> {
  const { kind, object } = resource;
  const namespace = object.metadata.namespace ?? 'default';
  const name = object.metadata.name;
  return new Promise(resolve => {
    let settled = false;
    const cleanups: Array<() => void> = [];
    const finish = (found: boolean) => {
      if (settled) return;
      settled = true;
      cleanups.forEach(cleanup => cleanup());
      resolve(found);
    };
    // The change is announced after the cache holds it.
    const unsubscribe = clusters.onResourceChange(change => {
      if (
        change.type !== 'deleted' &&
        change.cluster === kind.cluster &&
        change.kind.promise === kind.promise &&
        (change.object.metadata.namespace ?? 'default') === namespace &&
        change.object.metadata.name === name
      ) {
        finish(true);
      }
    });
    const timer = setTimeout(() => finish(false), timeoutMs);
    cleanups.push(unsubscribe, () => clearTimeout(timer));
    clusters
      .resolveResource({
        cluster: kind.cluster,
        promise: kind.promise,
        namespace,
        name,
      })
      .then(
        () => finish(true),
        () => {
          // Not cached yet: the watch announces it above.
        },
      );
  });
}
