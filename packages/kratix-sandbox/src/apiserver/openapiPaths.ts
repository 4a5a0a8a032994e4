/*
 * The operations the OpenAPI documents list for each served kind, each tagged with
 * `x-kubernetes-action` and `x-kubernetes-group-version-kind`: kubectl explain finds a resource's
 * kind from the GVK of its list path's `get`, and kubectl create/apply looks for the PATCH
 * operation's `fieldValidation` parameter to decide between server- and client-side validation.
 * The sandbox does not implement server-side field validation, so it does not advertise it (kubectl
 * then validates client-side against the empty protobuf v2 document, i.e. skips validation).
 */
import type { ResourceType } from '../store/types';
import { verbsOf } from './discovery';
import { definitionName, gvkOf, STATUS } from './openapiSchemas';

type Operation = Record<string, unknown>;
type PathItem = Record<string, unknown>;

/** How a document names a schema and wraps a body: OpenAPI 3 and Swagger 2 differ. */
export interface Dialect {
  ref(name: string): string;
  /** The `responses` of an operation answering with `name`. */
  responses(name: string): Record<string, unknown>;
  /** Fields describing the request body (v3 requestBody; v2 a `body` parameter). */
  body(name: string | undefined, mediaTypes: string[]): Operation;
  pathParameter(name: string): Record<string, unknown>;
}

const PATCH_MEDIA_TYPES = [
  'application/json-patch+json',
  'application/merge-patch+json',
  'application/apply-patch+yaml',
];

const camel = (s: string) =>
  s
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map(w => w[0].toUpperCase() + w.slice(1))
    .join('');

/** The paths of one kind in one version, keyed by path as the apiserver names them. */
export function pathsOf(
  type: ResourceType,
  version: string,
  dialect: Dialect,
): Record<string, PathItem> {
  const prefix = type.group
    ? `/apis/${type.group}/${version}`
    : `/api/${version}`;
  const verbs = new Set(verbsOf(type));
  const gvk = gvkOf(type, version);
  const item = definitionName(type, version);
  const list = definitionName(type, version, true);
  const id = `${camel(type.group) || 'Core'}${camel(
    version,
  )}${type.kind.replace(/[^A-Za-z0-9]/g, '')}`;
  const op = (
    verb: string,
    action: string,
    name: string,
    extra: Operation = {},
  ): Operation => ({
    operationId: `${verb}${id}`,
    responses: dialect.responses(name),
    ...extra,
    'x-kubernetes-action': action,
    'x-kubernetes-group-version-kind': gvk,
  });
  const namespaced = type.namespaced;
  const collection = namespaced
    ? `${prefix}/namespaces/{namespace}/${type.plural}`
    : `${prefix}/${type.plural}`;
  const scope = namespaced ? [dialect.pathParameter('namespace')] : [];
  const named = [...scope, dialect.pathParameter('name')];
  const paths: Record<string, PathItem> = {};

  // Access reviews: a POST answered with the computed object, nothing to read back.
  if (type.createOnly) {
    paths[collection] = {
      post: op(
        'create',
        'post',
        item,
        dialect.body(item, ['application/json']),
      ),
      parameters: scope,
    };
    return paths;
  }

  // The list across all namespaces is also where kubectl explain looks for the kind.
  if (namespaced) {
    paths[`${prefix}/${type.plural}`] = {
      get: op('list', 'list', list, {
        operationId: `list${id}ForAllNamespaces`,
      }),
    };
  }
  paths[collection] = {
    get: op(namespaced ? 'listNamespaced' : 'list', 'list', list),
    ...(verbs.has('create')
      ? {
          post: op(
            'create',
            'post',
            item,
            dialect.body(item, ['application/json']),
          ),
        }
      : {}),
    ...(verbs.has('deletecollection')
      ? { delete: op('deleteCollection', 'deletecollection', STATUS) }
      : {}),
    parameters: scope,
  };
  const writable = (suffix: string): PathItem => ({
    get: op(`read${suffix}`, 'get', item),
    ...(verbs.has('update')
      ? {
          put: op(
            `replace${suffix}`,
            'put',
            item,
            dialect.body(item, ['application/json']),
          ),
          patch: op(
            `patch${suffix}`,
            'patch',
            item,
            dialect.body(undefined, PATCH_MEDIA_TYPES),
          ),
        }
      : {}),
    parameters: named,
  });
  paths[`${collection}/{name}`] = {
    ...writable(''),
    ...(verbs.has('delete') ? { delete: op('delete', 'delete', STATUS) } : {}),
  };
  if (type.statusSubresource)
    paths[`${collection}/{name}/status`] = writable('Status');
  return paths;
}
