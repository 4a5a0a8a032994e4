/*
 * Entity names, as Syntasso's portal (SKE) names the entities it generates, so a platform that runs
 * both does not get two entities for one thing: Promise `<kind>-promise`, template
 * `<kind>-promise-template`, Resource `<resource name>-<kind>` (kinds lower-cased). Clusters other
 * than the first get a `-<cluster>` suffix, so two clusters with the same Promise do not collide.
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
  resource: { name: string; kind: string },
): string {
  return entityName(resource.name, resource.kind, clusterSuffix(ctx));
}
