/*
 * The link into an entity's Kratix tab that opens one Resource (`?resource=<key>`), built and read
 * here only, so the search collator, the scaffolder output and the tab agree on one format.
 */
import {
  parseEntityRef,
  type CompoundEntityRef,
} from '@backstage/catalog-model';
import {
  parseKratixPermissionRef,
  type KratixPermissionRef,
} from './permissions';

/**
 * The search parameter of the entity tab that names the open Resource.
 *
 * @public
 */
export const KRATIX_RESOURCE_PARAM = 'resource';

/**
 * The path of the Kratix entity tab below the entity's page.
 *
 * @public
 */
export const KRATIX_ENTITY_TAB_PATH = 'kratix';

const seg = encodeURIComponent;

/**
 * The key of a Resource: `<cluster>/<namespace>/<promise>/<name>`, each part URI-encoded so a `/`
 * in a cluster name cannot shift the parts. Unique across clusters, Promises and namespaces.
 *
 * @public
 */
export function kratixResourceKey(r: KratixPermissionRef): string {
  return [r.cluster, r.namespace, r.promise, r.name].map(seg).join('/');
}

function decode(part: string): string | undefined {
  try {
    return decodeURIComponent(part);
  } catch {
    return undefined;
  }
}

/**
 * Reads a `resource` parameter: a {@link kratixResourceKey}, or the `kratix-resource` permission
 * ref (`<cluster>:<promise>/<namespace>/<name>`) that links before the one format carried.
 * Undefined when it is neither.
 *
 * @public
 */
export function parseKratixResourceKey(
  value: string,
): KratixPermissionRef | undefined {
  const legacy = parseKratixPermissionRef(value);
  if (legacy) return legacy;
  const parts = value.split('/');
  if (parts.length !== 4) return undefined;
  const [cluster, namespace, promise, name] = parts.map(decode);
  if (!cluster || !namespace || !promise || !name) return undefined;
  return { cluster, namespace, promise, name };
}

/**
 * The entity's Kratix tab, relative to the app's base URL, opened on `resource` when given:
 * `/catalog/<namespace>/<kind>/<name>/kratix[?resource=<key>]`. Namespace and kind are lower-cased
 * as the catalog's entity routes are. Throws on an entity ref that does not parse.
 *
 * @public
 */
export function kratixEntityTabPath(
  entity: string | CompoundEntityRef,
  resource?: KratixPermissionRef,
): string {
  const ref = typeof entity === 'string' ? parseEntityRef(entity) : entity;
  const path = `/catalog/${[
    ref.namespace.toLocaleLowerCase('en-US'),
    ref.kind.toLocaleLowerCase('en-US'),
    ref.name,
  ]
    .map(seg)
    .join('/')}/${KRATIX_ENTITY_TAB_PATH}`;
  if (!resource) return path;
  const query = new URLSearchParams({
    [KRATIX_RESOURCE_PARAM]: kratixResourceKey(resource),
  });
  return `${path}?${query}`;
}
