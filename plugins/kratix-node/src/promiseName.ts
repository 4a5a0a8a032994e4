/*
 * Requests may name a Promise by its name (`elastic-cloud`) or by its Resource kind; the create
 * contract wants the name. Resolved from the watch-fed Promise cache.
 */
import type { KratixClusterService } from './KratixClusterService';

/**
 * The name of the Promise called `promiseOrKind` (by name first, then by kind) on the cluster; the
 * input unchanged when none matches, so the create flow reports the unknown Promise itself.
 *
 * @public
 */
export async function promiseNameOf(
  clusters: KratixClusterService,
  cluster: string | undefined,
  promiseOrKind: string,
): Promise<string> {
  const onCluster = cluster ?? clusters.defaultCluster();
  const { items } = await clusters.listPromises();
  const candidates = items.filter(p => p.cluster === onCluster);
  if (candidates.some(p => p.name === promiseOrKind)) return promiseOrKind;
  const byKind = candidates.filter(
    p =>
      p.kind.toLocaleLowerCase('en-US') ===
      promiseOrKind.toLocaleLowerCase('en-US'),
  );
  return byKind.length === 1 ? byKind[0].name : promiseOrKind;
}
