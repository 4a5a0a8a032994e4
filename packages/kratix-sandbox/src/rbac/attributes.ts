/*
 * What an authorizer decides on (authorizer.Attributes), and how a request becomes one: the
 * apiserver's RequestInfoFactory. /api/v1/... and /apis/<group>/<version>/... are resource requests
 * (verb get, list, watch, create, update, patch, delete or deletecollection); every other path,
 * discovery documents included, is a non-resource request whose verb is the lower-cased method.
 */
import { queryBool } from '../apiserver/queryBool';
import type { UserInfo } from '../auth/identity';

export interface Attributes {
  user: UserInfo;
  verb: string;
  resourceRequest: boolean;
  /** Non-resource requests: the URL path. */
  path: string;
  apiGroup: string;
  apiVersion: string;
  resource: string;
  subresource: string;
  namespace: string;
  name: string;
}

const SPECIAL_VERBS = new Set(['proxy', 'watch']);
const NAMESPACE_SUBRESOURCES = new Set(['status', 'finalize']);
/** A name usable in a path segment (path.IsValidPathSegmentName). */
const validPathSegment = (name: string) =>
  name !== '.' && name !== '..' && !/[/%]/.test(name);

function decodeSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

/** `metadata.name=x` (or `==`) as the only requirement on that field: list/watch of one object. */
function exactName(fieldSelector: string | null): string | undefined {
  if (!fieldSelector) return undefined;
  for (const term of fieldSelector.split(',')) {
    const m = /^\s*metadata\.name\s*==?\s*(.*?)\s*$/.exec(term);
    if (m) return m[1];
  }
  return undefined;
}

export function requestAttributes(
  user: UserInfo,
  method: string,
  url: URL,
): Attributes {
  const attributes: Attributes = {
    user,
    verb: method.toLowerCase(),
    resourceRequest: false,
    path: url.pathname,
    apiGroup: '',
    apiVersion: '',
    resource: '',
    subresource: '',
    namespace: '',
    name: '',
  };
  // Go's URL.Path is already decoded; Node's pathname is not.
  const trimmed = url.pathname.replace(/^\/+|\/+$/g, '');
  let parts = trimmed ? trimmed.split('/').map(decodeSegment) : [];
  if (parts.length < 3 || !['api', 'apis'].includes(parts[0]))
    return attributes;
  const prefix = parts[0];
  parts = parts.slice(1);
  if (prefix === 'apis') {
    if (parts.length < 3) return attributes;
    attributes.apiGroup = parts[0];
    parts = parts.slice(1);
  }
  attributes.resourceRequest = true;
  attributes.apiVersion = parts[0];
  parts = parts.slice(1);

  if (SPECIAL_VERBS.has(parts[0])) {
    attributes.verb = parts[0];
    parts = parts.slice(1);
  } else {
    const verbs: Record<string, string> = {
      POST: 'create',
      GET: 'get',
      HEAD: 'get',
      PUT: 'update',
      PATCH: 'patch',
      DELETE: 'delete',
    };
    attributes.verb = verbs[method.toUpperCase()] ?? '';
  }

  if (parts[0] === 'namespaces') {
    if (parts.length > 1) {
      attributes.namespace = parts[1];
      if (parts.length > 2 && !NAMESPACE_SUBRESOURCES.has(parts[2]))
        parts = parts.slice(2);
    }
  }

  if (parts.length >= 3 && attributes.verb !== 'proxy')
    attributes.subresource = parts[2];
  if (parts.length >= 2) attributes.name = parts[1];
  if (parts.length >= 1) attributes.resource = parts[0];

  if (!attributes.name && attributes.verb === 'get') {
    attributes.verb = queryBool(url.searchParams, 'watch') ? 'watch' : 'list';
    // A list or watch of one object by name is authorized as that name (resourceNames rules).
    const name = exactName(url.searchParams.get('fieldSelector'));
    if (name && validPathSegment(name)) attributes.name = name;
  }
  if (!attributes.name && attributes.verb === 'delete')
    attributes.verb = 'deletecollection';
  return attributes;
}
