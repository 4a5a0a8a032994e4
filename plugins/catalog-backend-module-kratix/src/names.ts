/*
 * Entity names, as Syntasso's portal (SKE) names the entities it generates, so a platform that runs
 * both does not get two entities for one thing: Promise `<kind>-promise`, template
 * `<kind>-promise-template`, Resource `<resource name>-<kind>` (kinds lower-cased). Clusters other
 * than the first get a `-<cluster>` suffix, so two clusters with the same Promise do not collide.
 * Every entity is in one catalog namespace that only the provider writes to (`kratix` by default),
 * so a catalog file cannot take a name first; a Resource outside the cluster's `default` namespace
 * gets a `<namespace>_` prefix, which no Kubernetes name can produce (they never contain `_`).
 */
import crypto from 'node:crypto';

/** Backstage entity names: at most 63 characters of `[a-zA-Z0-9-_.]`, alphanumeric at both ends. */
const MAX_NAME = 63;

export function entityName(...parts: Array<string | undefined>): string {
  const raw = parts
    .filter((p): p is string => Boolean(p))
    .join('-')
    .toLocaleLowerCase('en-US')
    .replace(/[^a-z0-9-_.]+/g, '-')
    .replace(/^[-_.]+|[-_.]+$/g, '');
  if (raw.length <= MAX_NAME) return raw;
  // Too long: keep a readable prefix and make it unique with a hash of the whole name.
  const hash = crypto
    .createHash('sha256')
    .update(raw)
    .digest('hex')
    .slice(0, 8);
  return `${raw.slice(0, MAX_NAME - 9).replace(/[-_.]+$/, '')}-${hash}`;
}

export interface NamingContext {
  cluster: string;
  /** The catalog namespace of the provider's entities. */
  namespace: string;
  /** The first ingested cluster: its entities carry no cluster suffix. */
  primaryCluster: string;
}

function clusterSuffix(ctx: NamingContext): string | undefined {
  return ctx.cluster === ctx.primaryCluster ? undefined : ctx.cluster;
}

/** The Promise entity; `kind` is undefined for a Promise that is not installed (named by its name). */
export function promiseEntityName(
  ctx: NamingContext,
  promise: { name: string; kind?: string },
): string {
  return entityName(
    promise.kind ?? promise.name,
    'promise',
    clusterSuffix(ctx),
  );
}

export function templateEntityName(
  ctx: NamingContext,
  promise: { kind: string },
): string {
  return entityName(promise.kind, 'promise-template', clusterSuffix(ctx));
}

export function resourceEntityName(
  ctx: NamingContext,
  resource: { name: string; kind: string; namespace?: string },
): string {
  const namespace = resource.namespace ?? 'default';
  return entityName(
    namespace === 'default' ? resource.name : `${namespace}_${resource.name}`,
    resource.kind,
    clusterSuffix(ctx),
  );
}

/** `kind:namespace/name` of one of the provider's entities. */
export function providerEntityRef(
  ctx: NamingContext,
  kind: string,
  name: string,
): string {
  return `${kind.toLocaleLowerCase('en-US')}:${ctx.namespace}/${name}`;
}
