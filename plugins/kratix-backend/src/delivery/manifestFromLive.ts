/*
 * The manifest an update commits, rebuilt from the live Resource: what its author (Backstage)
 * declared, never what the platform or the GitOps agent added. Kept: Backstage's own annotations
 * (`kratix.backstage.io/…`, except the agent's `synced-…` marks) and the labels outside the
 * platform's and the agents' prefixes; dropped: status, server fields, Kratix's labels.
 */
import {
  KRATIX_REQUEST_ID_ANNOTATION,
  type KratixResourceObject,
} from '@kratix-backstage/plugin-kratix-common';

const OWN_ANNOTATION = /^kratix\.backstage\.io\/(?!synced-)/;
const FOREIGN_LABEL =
  /^(kratix\.io|kratix\.backstage\.io|[a-z0-9.-]*fluxcd\.io|argocd\.argoproj\.io|app\.kubernetes\.io\/instance$)/;

export function manifestFromLive(
  object: KratixResourceObject,
  change: { spec: Record<string, unknown>; requestId: string },
): KratixResourceObject {
  const pick = (
    values: Record<string, string> | undefined,
    keep: (key: string) => boolean,
  ) =>
    Object.fromEntries(Object.entries(values ?? {}).filter(([k]) => keep(k)));
  const labels = pick(object.metadata.labels, k => !FOREIGN_LABEL.test(k));
  return {
    apiVersion: object.apiVersion,
    kind: object.kind,
    metadata: {
      name: object.metadata.name,
      namespace: object.metadata.namespace ?? 'default',
      ...(Object.keys(labels).length ? { labels } : {}),
      annotations: {
        ...pick(object.metadata.annotations, k => OWN_ANNOTATION.test(k)),
        [KRATIX_REQUEST_ID_ANNOTATION]: change.requestId,
      },
    },
    spec: change.spec,
  };
}
