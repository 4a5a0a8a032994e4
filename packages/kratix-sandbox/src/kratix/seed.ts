/*
 * Loads a folder of Kubernetes YAML (any depth, any number of documents per file) into the store in
 * the order a person would `kubectl apply` it: Namespaces, CRDs, Promises, then wait until each
 * remaining object's kind is served (Promise CRDs appear asynchronously), then everything else.
 * Unlike a real API server, missing namespaces are created here for convenience.
 */
import fs from 'node:fs';
import path from 'node:path';
import { parseAllDocuments } from 'yaml';
import type { KubeObject, ResourceType, Store } from '../store/types';
import { CRD_KEY, NAMESPACE_KEY, PROMISE_KEY } from './common/constants';
import { errorCode } from './common/storeUtil';

export interface LoadOptions extends ReadOptions {
  /** How long to wait for a kind to become served (e.g. a Promise's CRD); default 10 s. */
  typeTimeoutMs?: number;
}

export interface ReadOptions {
  /** Subfolders (relative to the folder read, e.g. `rbac`) to leave out. */
  skip?: string[];
}

export interface LoadResult {
  created: string[];
  skipped: string[];
  errors: string[];
}

export function readYamlFolder(
  dir: string,
  options: ReadOptions = {},
): KubeObject[] {
  const files: string[] = [];
  const skipped = new Set((options.skip ?? []).map(s => path.join(dir, s)));
  const walk = (d: string) => {
    for (const entry of fs
      .readdirSync(d, { withFileTypes: true })
      .sort((a, b) => a.name.localeCompare(b.name))) {
      const full = path.join(d, entry.name);
      if (entry.isDirectory()) {
        if (!skipped.has(full)) walk(full);
      } else if (/\.ya?ml$/.test(entry.name)) files.push(full);
    }
  };
  walk(dir);
  return files.flatMap(file =>
    parseAllDocuments(fs.readFileSync(file, 'utf8'))
      .map(doc => doc.toJS())
      .filter(
        (o): o is KubeObject =>
          !!o &&
          typeof o === 'object' &&
          !!o.kind &&
          !!o.apiVersion &&
          !!o.metadata?.name,
      ),
  );
}

function describe(o: KubeObject): string {
  return `${o.kind}/${o.metadata.namespace ? `${o.metadata.namespace}/` : ''}${
    o.metadata.name
  }`;
}

function rank(o: KubeObject): number {
  if (o.kind === 'Namespace' && o.apiVersion === 'v1') return 0;
  if (o.kind === 'CustomResourceDefinition') return 1;
  if (o.kind === 'Promise' && o.apiVersion.startsWith('platform.kratix.io/'))
    return 2;
  return 3;
}

function splitApiVersion(apiVersion: string): [string, string] {
  return apiVersion.includes('/')
    ? (apiVersion.split('/') as [string, string])
    : ['', apiVersion];
}

async function waitForType(
  store: Store,
  o: KubeObject,
  timeoutMs: number,
): Promise<ResourceType | undefined> {
  const [group, version] = splitApiVersion(o.apiVersion);
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const type = store.resolveType(group, version, o.kind);
    if (type || Date.now() >= deadline) return type;
    await new Promise(r => setTimeout(r, 20));
  }
}

/** Promises and CRDs are served from the start; other kinds may still be on their way. */
function typeFor(
  store: Store,
  o: KubeObject,
  timeoutMs: number,
): Promise<ResourceType | undefined> | ResourceType | undefined {
  if (rank(o) === 2) return store.getType(PROMISE_KEY);
  if (rank(o) === 1) return store.getType(CRD_KEY);
  return waitForType(store, o, timeoutMs);
}

function ensureNamespace(store: Store, namespace: string, result: LoadResult) {
  if (store.get(NAMESPACE_KEY, undefined, namespace)) return;
  store.create(NAMESPACE_KEY, {
    apiVersion: 'v1',
    kind: 'Namespace',
    metadata: { name: namespace },
  });
  result.created.push(`Namespace/${namespace}`);
}

export async function loadYamlDocuments(
  store: Store,
  objects: KubeObject[],
  options: LoadOptions = {},
): Promise<LoadResult> {
  const result: LoadResult = { created: [], skipped: [], errors: [] };
  const ordered = [...objects].sort((a, b) => rank(a) - rank(b));
  for (const original of ordered) {
    const object = structuredClone(original);
    if (object.metadata.creationTimestamp === null)
      delete object.metadata.creationTimestamp;
    const type = await typeFor(store, object, options.typeTimeoutMs ?? 10_000);
    if (!type) {
      result.errors.push(
        `${describe(object)}: no such kind ${object.apiVersion} ${object.kind}`,
      );
      continue;
    }
    try {
      if (type.namespaced) {
        object.metadata.namespace = object.metadata.namespace ?? 'default';
        ensureNamespace(store, object.metadata.namespace, result);
      } else {
        delete object.metadata.namespace; // e.g. the 2023 workshop Promise carried `namespace: default`
      }
      store.create({ group: type.group, plural: type.plural }, object);
      result.created.push(describe(object));
    } catch (error) {
      if (errorCode(error) === 409) result.skipped.push(describe(object));
      else
        result.errors.push(
          `${describe(object)}: ${
            error instanceof Error ? error.message : error
          }`,
        );
    }
  }
  return result;
}

/** Loads every YAML document under `dir`. */
export async function loadYamlFolder(
  store: Store,
  dir: string,
  options: LoadOptions = {},
): Promise<LoadResult> {
  return loadYamlDocuments(store, readYamlFolder(dir, options), options);
}
