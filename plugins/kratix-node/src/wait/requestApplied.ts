/*
 * Whether the platform has applied a request delivered through Git (a commit, or a pull request):
 * it has when the Resource carrying the request's `kratix.backstage.io/request-id` is on the
 * cluster watch (the signal the backend's request ledger marks `applied` on). One watch for every
 * caller that follows such a request: the scaffolder's kratix:resource:create and
 * kratix:resource:wait, and the MCP action wait-for-resource. Each caller keeps its own deadline,
 * abort and answer; this only says when the request is applied, and which other changes of the
 * Resource it saw on the way.
 */
import { KRATIX_REQUEST_ID_ANNOTATION } from '@kratix-backstage/plugin-kratix-common';
import type {
  KratixClusterService,
  ResolvedResource,
  ResourceChange,
} from '../KratixClusterService';

/**
 * The Resource a request delivered through Git is for, by name.
 *
 * @public
 */
export interface KratixRequestTarget {
  cluster: string;
  promise: string;
  namespace: string;
  name: string;
}

/**
 * What {@link watchRequestApplied} tells its caller.
 *
 * @public
 */
export interface KratixRequestAppliedHandlers {
  /** The Resource carries the request: the platform has applied it. Called at most once. */
  applied(resource: ResolvedResource): void;
  /**
   * Any other change of the Resource itself (not of its Works): deleted, or carrying no id or
   * another request's id (a later request may have superseded this one).
   */
  changed?(change: ResourceChange): void;
  /**
   * Reading the Resource from the cache failed for another reason than its absence (an unknown
   * Promise, a cluster that cannot answer). Without this handler such an error is ignored and the
   * watch goes on.
   */
  failed?(error: unknown): void;
}

const carries = (
  object: ResolvedResource['object'],
  requestId: string,
): boolean =>
  object.metadata.annotations?.[KRATIX_REQUEST_ID_ANNOTATION] === requestId;

const isTarget = (change: ResourceChange, target: KratixRequestTarget) =>
  change.cluster === target.cluster &&
  change.kind.promise === target.promise &&
  (change.object.metadata.namespace ?? 'default') === target.namespace &&
  change.object.metadata.name === target.name;

/**
 * Watches for the platform to apply a request delivered through Git: the target Resource carrying
 * the request id in its `kratix.backstage.io/request-id` annotation. It checks the cache now (the
 * request may be applied already) and then every change the cluster watches see, without polling.
 * A Resource of that name carrying another id, or a deleted one, is not the request applied.
 *
 * The watch ends by itself after `applied` or `failed`; the returned function ends it earlier
 * (idempotent), after which no handler is called.
 *
 * @public
 */
export function watchRequestApplied(
  clusters: Pick<KratixClusterService, 'resolveResource' | 'onResourceChange'>,
  target: KratixRequestTarget,
  requestId: string,
  handlers: KratixRequestAppliedHandlers,
): () => void {
  let active = true;
  // The listener and the cache read run only after this returns: `unsubscribe` is set by then.
  const end = (outcome: () => void) => {
    if (!active) return;
    stop();
    outcome();
  };
  const unsubscribe = clusters.onResourceChange(change => {
    // Works and WorkPlacements changing say where the Resource landed, not what it carries.
    if (!active || change.work || !isTarget(change, target)) return;
    if (change.type !== 'deleted' && carries(change.object, requestId)) {
      const resource = { kind: change.kind, object: change.object };
      end(() => handlers.applied(resource));
    } else {
      handlers.changed?.(change);
    }
  });
  function stop() {
    if (!active) return;
    active = false;
    unsubscribe();
  }

  // Applied before we subscribed: the cache holds it (later changes arrive above).
  clusters.resolveResource(target).then(
    cached => {
      if (active && carries(cached.object, requestId)) {
        end(() => handlers.applied(cached));
      }
    },
    error => {
      // Not there yet is what we wait for.
      if ((error as { reason?: string } | undefined)?.reason === 'not-found') {
        return;
      }
      const { failed } = handlers;
      if (failed) end(() => failed(error));
    },
  );
  return stop;
}
