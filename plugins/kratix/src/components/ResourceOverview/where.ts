import type { KratixResourceView } from '@kratix-backstage/plugin-kratix-common';

/** "redis · default", and the cluster only when the rows span more than one. */
export function whereOf(
  resource: Pick<KratixResourceView, 'cluster' | 'promise' | 'namespace'>,
  manyClusters: boolean,
  sandboxes: ReadonlySet<string>,
): string {
  const cluster = sandboxes.has(resource.cluster)
    ? `${resource.cluster} (sandbox platform)`
    : resource.cluster;
  return [resource.promise, resource.namespace, manyClusters ? cluster : '']
    .filter(Boolean)
    .join(' · ');
}
