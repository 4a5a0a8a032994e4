/*
 * How catalog entities link to Kratix Resources. Two contracts are understood:
 *
 * 1. The one Syntasso's portal (SKE) writes into generated entities: `kratix.io/type: resource` with
 *    `kratix.io/group`, `kratix.io/version`, `kratix.io/kind`, `kratix.io/name`, `kratix.io/namespace`
 *    and optionally `kratix.io/promise-name` — one Resource per entity.
 * 2. A compact annotation for hand-written catalog-info.yaml that links one entity to several
 *    Resources, each optionally on a named cluster:
 *      kratix.backstage.io/resources: "redis/default/example, platform-eu:jenkins/ci/main"
 *    Each entry is `[<cluster>:]<promise>/<namespace>/<name>`; entries are separated by commas,
 *    spaces or new lines. `kratix.backstage.io/cluster` sets the default cluster of the entity.
 */
import type { Entity } from '@backstage/catalog-model';

/**
 * The annotations of Syntasso's portal contract (one Resource per entity).
 *
 * @public
 */
export const SKE_ANNOTATION = {
  type: 'kratix.io/type',
  group: 'kratix.io/group',
  version: 'kratix.io/version',
  kind: 'kratix.io/kind',
  name: 'kratix.io/name',
  namespace: 'kratix.io/namespace',
  promiseName: 'kratix.io/promise-name',
} as const;

/**
 * Links one entity to several Resources (see the file comment for the format).
 *
 * @public
 */
export const KRATIX_RESOURCES_ANNOTATION = 'kratix.backstage.io/resources';
/**
 * The cluster an entity's Resources live on when an entry names none.
 *
 * @public
 */
export const KRATIX_CLUSTER_ANNOTATION = 'kratix.backstage.io/cluster';
/**
 * Set on Resources created through Backstage: the user entity ref of who asked.
 *
 * @public
 */
export const KRATIX_REQUESTED_BY_ANNOTATION =
  'kratix.backstage.io/requested-by';
/**
 * Set on Resources created through Backstage: the catalog entity they belong to.
 *
 * @public
 */
export const KRATIX_ENTITY_REF_ANNOTATION = 'kratix.backstage.io/entity-ref';
/**
 * Set on Resources created through Backstage: the `metadata.uid` of the entity they were created
 * for. The link holds for that entity only, never for a later entity that takes its name. A platform
 * team may set it by hand (`kubectl annotate`) to bind a Resource made outside Backstage.
 *
 * @public
 */
export const KRATIX_ENTITY_UID_ANNOTATION = 'kratix.backstage.io/entity-uid';
/**
 * Set on Resources created through Backstage: the `backstage.io/managed-by-origin-location` of the
 * entity they were created for, so the same entity re-ingested from the same location (with a new
 * uid) keeps its link while its owner is unchanged.
 *
 * @public
 */
export const KRATIX_ENTITY_ORIGIN_ANNOTATION =
  'kratix.backstage.io/entity-origin';
/**
 * Label or annotation on a Resource: the group (or user) that owns it, as the platform says. A bare
 * name is a group in the default namespace. Creation through Backstage records the entity's owner; a
 * pipeline or a platform engineer can set it on Resources made outside Backstage. An entity-ref link
 * without a matching uid holds only while the entity's owner is this one (see the README's security
 * model).
 *
 * @public
 */
export const KRATIX_OWNER_ANNOTATION = 'kratix.backstage.io/owner';

/**
 * The location type of entities the Kratix catalog provider produces: their
 * `backstage.io/managed-by-location` is `kratix-platform:<cluster>`. The catalog overwrites that
 * annotation on every entity read from a file or URL, so only an entity provider can set it: an
 * entity carrying it was produced from the platform, and its links are the platform's own.
 *
 * @public
 */
export const KRATIX_PROVIDER_LOCATION_TYPE = 'kratix-platform';

/**
 * A pointer from an entity to one Resource on a platform cluster.
 *
 * @public
 */
export interface KratixResourceRef {
  /** Undefined means the default cluster. */
  cluster?: string;
  /** The Promise whose API the Resource is an instance of (compact form, or SKE's promise-name). */
  promise?: string;
  /** Group, version and kind, when the entity names them (SKE form). */
  group?: string;
  version?: string;
  kind?: string;
  namespace: string;
  name: string;
}

/**
 * The Resource references an entity's annotations make, and the entries that could not be parsed.
 *
 * @public
 */
export interface ParsedResourceRefs {
  refs: KratixResourceRef[];
  /** Entries that could not be read, with why: shown to users rather than silently dropped. */
  errors: string[];
}

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS_SUBDOMAIN =
  /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

function parseCompactEntry(
  entry: string,
  defaultCluster: string | undefined,
): KratixResourceRef | string {
  const colon = entry.indexOf(':');
  const cluster = colon === -1 ? defaultCluster : entry.slice(0, colon);
  const path = colon === -1 ? entry : entry.slice(colon + 1);
  const parts = path.split('/');
  if (parts.length !== 3 || parts.some(p => p === '')) {
    return `"${entry}" is not [<cluster>:]<promise>/<namespace>/<name>`;
  }
  const [promise, namespace, name] = parts;
  if (!DNS_SUBDOMAIN.test(promise))
    return `"${entry}": invalid Promise name "${promise}"`;
  if (!DNS_LABEL.test(namespace))
    return `"${entry}": invalid namespace "${namespace}"`;
  if (!DNS_SUBDOMAIN.test(name))
    return `"${entry}": invalid Resource name "${name}"`;
  if (cluster !== undefined && cluster === '')
    return `"${entry}": empty cluster name`;
  return { cluster, promise, namespace, name };
}

function parseSkeAnnotations(
  annotations: Record<string, string>,
  defaultCluster: string | undefined,
): KratixResourceRef | string | undefined {
  if (annotations[SKE_ANNOTATION.type] !== 'resource') return undefined;
  const name = annotations[SKE_ANNOTATION.name];
  const namespace = annotations[SKE_ANNOTATION.namespace];
  const group = annotations[SKE_ANNOTATION.group];
  const version = annotations[SKE_ANNOTATION.version];
  const kind = annotations[SKE_ANNOTATION.kind];
  const promise = annotations[SKE_ANNOTATION.promiseName];
  const missing = [
    [SKE_ANNOTATION.name, name],
    [SKE_ANNOTATION.namespace, namespace],
    ...(promise
      ? []
      : [
          [SKE_ANNOTATION.group, group],
          [SKE_ANNOTATION.version, version],
          [SKE_ANNOTATION.kind, kind],
        ]),
  ]
    .filter(([, value]) => !value)
    .map(([key]) => key);
  if (missing.length > 0) {
    return `kratix.io/type is "resource" but ${missing.join(', ')} ${
      missing.length === 1 ? 'is' : 'are'
    } missing`;
  }
  return {
    cluster: defaultCluster,
    promise: promise || undefined,
    group: group || undefined,
    version: version || undefined,
    kind: kind || undefined,
    namespace,
    name,
  };
}

/**
 * Every Resource an entity links to, from either contract, without duplicates.
 *
 * @public
 */
export function getKratixResourceRefs(entity: Entity): ParsedResourceRefs {
  const annotations = entity.metadata.annotations ?? {};
  const defaultCluster = annotations[KRATIX_CLUSTER_ANNOTATION] || undefined;
  const refs: KratixResourceRef[] = [];
  const errors: string[] = [];
  const add = (result: KratixResourceRef | string | undefined) => {
    if (result === undefined) return;
    if (typeof result === 'string') errors.push(result);
    else if (!refs.some(r => sameRef(r, result))) refs.push(result);
  };

  add(parseSkeAnnotations(annotations, defaultCluster));
  const compact = annotations[KRATIX_RESOURCES_ANNOTATION];
  if (compact) {
    for (const entry of compact.split(/[\s,]+/).filter(Boolean)) {
      add(parseCompactEntry(entry, defaultCluster));
    }
  }
  return { refs, errors };
}

function sameRef(a: KratixResourceRef, b: KratixResourceRef): boolean {
  return (
    a.cluster === b.cluster &&
    a.namespace === b.namespace &&
    a.name === b.name &&
    (a.promise ?? a.kind) === (b.promise ?? b.kind)
  );
}

/**
 * Whether an entity links to any Kratix Resource (for showing the tab).
 *
 * @public
 */
export function isKratixResourceEntity(entity: Entity): boolean {
  const annotations = entity.metadata.annotations ?? {};
  return (
    annotations[SKE_ANNOTATION.type] === 'resource' ||
    Boolean(annotations[KRATIX_RESOURCES_ANNOTATION])
  );
}
