/* Parses Kubernetes API paths: discovery endpoints and /api/v1/... or /apis/<group>/<version>/... */

export type Route =
  | { kind: 'version' }
  | { kind: 'health' }
  | { kind: 'legacyVersions' }
  | { kind: 'groupList' }
  | { kind: 'group'; group: string }
  | { kind: 'resourceList'; group: string; version: string }
  | {
      kind: 'resource';
      group: string;
      version: string;
      namespace?: string;
      resource: string;
      name?: string;
      subresource?: string;
    }
  | { kind: 'unknown' };

const HEALTH = new Set(['/healthz', '/livez', '/readyz']);

export function parseRoute(pathname: string): Route {
  const path = pathname.replace(/\/+$/, '') || '/';
  if (path === '/version') return { kind: 'version' };
  if (HEALTH.has(path)) return { kind: 'health' };
  const parts = path.split('/').filter(Boolean).map(decodeURIComponent);
  let group: string;
  let version: string | undefined;
  let rest: string[];
  if (parts[0] === 'api') {
    if (parts.length === 1) return { kind: 'legacyVersions' };
    group = '';
    version = parts[1];
    rest = parts.slice(2);
  } else if (parts[0] === 'apis') {
    if (parts.length === 1) return { kind: 'groupList' };
    if (parts.length === 2) return { kind: 'group', group: parts[1] };
    group = parts[1];
    version = parts[2];
    rest = parts.slice(3);
  } else {
    return { kind: 'unknown' };
  }
  if (rest.length === 0) return { kind: 'resourceList', group, version };
  // namespaces/<name>/status|finalize are subresources of the Namespace, not a resource in it.
  const namespaceSubresource =
    group === '' &&
    rest[0] === 'namespaces' &&
    rest.length === 3 &&
    ['status', 'finalize'].includes(rest[2]);
  if (rest[0] === 'namespaces' && rest.length >= 3 && !namespaceSubresource) {
    if (rest.length > 5) return { kind: 'unknown' };
    return {
      kind: 'resource',
      group,
      version,
      namespace: rest[1],
      resource: rest[2],
      name: rest[3],
      subresource: rest[4],
    };
  }
  if (rest.length > 3) return { kind: 'unknown' };
  return {
    kind: 'resource',
    group,
    version,
    resource: rest[0],
    name: rest[1],
    subresource: rest[2],
  };
}
