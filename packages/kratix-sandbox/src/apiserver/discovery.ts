/*
 * Legacy (unaggregated) discovery documents, computed from the store's types on every request
 * so CRDs added or removed at run time show at once. Clients asking for aggregated discovery
 * (apidiscovery.k8s.io/v2) get these with Content-Type application/json and fall back to them.
 */
import type { ResourceType, Store } from '../store/types';

export const SERVER_VERSION = {
  major: '1',
  minor: '33',
  gitVersion: 'v1.33.0-kratix-sandbox',
  gitCommit: '0000000000000000000000000000000000000000',
  gitTreeState: 'clean',
  buildDate: '2026-01-01T00:00:00Z',
  goVersion: 'go1.24.0',
  compiler: 'gc',
  platform: 'linux/amd64',
};

const VERSION_RE = /^v(\d+)(?:(alpha|beta)(\d+))?$/;

/** Kubernetes version priority: GA before beta before alpha, higher numbers first. */
export function compareKubeVersions(a: string, b: string): number {
  const rank = (v: string): [number, number, number] | undefined => {
    const m = VERSION_RE.exec(v);
    if (!m) return undefined;
    const stability: Record<string, number> = { alpha: 0, beta: 1 };
    return [stability[m[2] ?? ''] ?? 2, Number(m[1]), Number(m[3] ?? 0)];
  };
  const x = rank(a);
  const y = rank(b);
  if (x && !y) return -1;
  if (!x && y) return 1;
  if (!x || !y) return a.localeCompare(b);
  for (let i = 0; i < 3; i++) if (x[i] !== y[i]) return y[i] - x[i];
  return 0;
}

export function verbsOf(type: ResourceType): string[] {
  if (type.createOnly) return ['create'];
  return type.readOnly
    ? ['get', 'list', 'watch']
    : [
        'create',
        'delete',
        'deletecollection',
        'get',
        'list',
        'patch',
        'update',
        'watch',
      ];
}

export function apiVersions(serverAddress: string) {
  return {
    kind: 'APIVersions',
    versions: ['v1'],
    serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress }],
  };
}

function groupEntry(group: string, types: ResourceType[]) {
  const versions = [...new Set(types.flatMap(t => t.versions))].sort(
    compareKubeVersions,
  );
  const gv = (version: string) => ({
    groupVersion: `${group}/${version}`,
    version,
  });
  return {
    name: group,
    versions: versions.map(gv),
    preferredVersion: gv(versions[0]),
  };
}

function byGroup(store: Store): Map<string, ResourceType[]> {
  const groups = new Map<string, ResourceType[]>();
  for (const type of store.listTypes()) {
    if (!type.group) continue;
    groups.set(type.group, [...(groups.get(type.group) ?? []), type]);
  }
  return groups;
}

export function apiGroupList(store: Store) {
  const groups = [...byGroup(store).entries()].sort(([a], [b]) =>
    a.localeCompare(b),
  );
  return {
    kind: 'APIGroupList',
    apiVersion: 'v1',
    groups: groups.map(([g, types]) => groupEntry(g, types)),
  };
}

export function apiGroup(store: Store, group: string) {
  const types = byGroup(store).get(group);
  return types
    ? { kind: 'APIGroup', apiVersion: 'v1', ...groupEntry(group, types) }
    : undefined;
}

export function apiResourceList(store: Store, group: string, version: string) {
  const types = store
    .listTypes()
    .filter(t => t.group === group && t.versions.includes(version))
    .sort((a, b) => a.plural.localeCompare(b.plural));
  if (!types.length && !(group === '' && version === 'v1')) return undefined;
  const resources = types.flatMap(type => {
    const main = {
      name: type.plural,
      singularName: type.singular,
      namespaced: type.namespaced,
      kind: type.kind,
      verbs: verbsOf(type),
      ...(type.shortNames?.length ? { shortNames: type.shortNames } : {}),
      ...(type.categories?.length ? { categories: type.categories } : {}),
    };
    const status = {
      name: `${type.plural}/status`,
      singularName: '',
      namespaced: type.namespaced,
      kind: type.kind,
      verbs: type.readOnly ? ['get'] : ['get', 'patch', 'update'],
    };
    // pods/log: the pipeline containers' output (podLogs.ts).
    const log =
      type.group === '' && type.plural === 'pods'
        ? [
            {
              name: 'pods/log',
              singularName: '',
              namespaced: true,
              kind: 'Pod',
              verbs: ['get'],
            },
          ]
        : [];
    return type.statusSubresource ? [main, ...log, status] : [main, ...log];
  });
  return {
    kind: 'APIResourceList',
    apiVersion: 'v1',
    groupVersion: group ? `${group}/${version}` : version,
    resources,
  };
}
