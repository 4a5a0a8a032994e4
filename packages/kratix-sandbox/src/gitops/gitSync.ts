/*
 * The sandbox's GitOps agent, as Flux's Kustomization with `prune: true` behaves: on an interval and
 * on demand it reads what the branch holds under the path, applies every object declared there
 * (created when missing, patched when it differs, so drift is put back), and deletes the objects it
 * applied before whose declaration is gone. Its objects carry a label and the file they came from,
 * so the store itself is the inventory (it survives a snapshot); objects it did not create are
 * never changed or deleted. One bad file or refused object is reported and the rest still applies.
 * Like a Kustomization's `spec.suspend`, the ConfigMap flux-system/kratix-requests-sync with
 * `data.suspend: "true"` makes every sync apply and delete nothing until it is removed or changed.
 *
 * Reads come from the store, like an informer's cache; writes go through the API server.
 */
import type { Logger } from '../kratix';
import { jsonEqual } from '../store/jsonEqual';
import type { KubeObject, ResourceType, Store } from '../store/types';
import { ApiError, type ApiTarget, callApi, resourcePath } from './apiClient';
import { type DeclaredObject, parseFiles } from './manifests';
import { threeWayMergePatch } from './mergePatch';
import type { GitRepository } from './repository';
import type { GitSyncChange, GitSyncResult } from './types';

/**
 * On every object the sync applied: how it finds its own (a label can be selected on).
 *
 * @public
 */
export const SYNCED_BY_LABEL = 'kratix.backstage.io/synced-by';
/** @public */
export const SYNCED_BY_VALUE = 'sandbox-git-sync';
/**
 * The file an object was applied from, repository-relative.
 *
 * @public
 */
export const SYNCED_FROM_ANNOTATION = 'kratix.backstage.io/synced-from';
/**
 * The id of the repository it was applied from (see GitRepository.id).
 *
 * @public
 */
export const SYNCED_REPOSITORY_ANNOTATION =
  'kratix.backstage.io/synced-repository';
/**
 * The sync's suspend switch, standing in for a Flux Kustomization's `spec.suspend`: while this
 * ConfigMap's `data.suspend` is "true", a sync applies and deletes nothing.
 *
 * @public
 */
export const GIT_SYNC_SUSPEND_CONFIG_MAP = {
  namespace: 'flux-system',
  name: 'kratix-requests-sync',
} as const;

const CONFIG_MAP_KEY = { group: '', plural: 'configmaps' };

/** The object as last applied (JSON), for removing what the file no longer declares. */
export const SYNCED_CONFIG_ANNOTATION = 'kratix.backstage.io/synced-config';

export interface GitSyncOptions {
  repository: GitRepository;
  store: Store;
  api: ApiTarget;
  branch: string;
  path: string;
  /** 0: only on demand. */
  intervalMs: number;
  /** Syncs wait for this (the seed loaded: its kinds served). */
  ready: Promise<unknown>;
  logger: Logger;
}

export interface GitSync {
  sync(): Promise<GitSyncResult>;
  readonly lastSync: GitSyncResult | undefined;
  onSync(listener: (result: GitSyncResult) => void): () => void;
  /** Stops the interval and waits for a sync under way. */
  stop(): Promise<void>;
}

function splitApiVersion(apiVersion: string): [string, string] {
  const slash = apiVersion.indexOf('/');
  return slash < 0
    ? ['', apiVersion]
    : [apiVersion.slice(0, slash), apiVersion.slice(slash + 1)];
}

/** Namespaces, then CRDs, then Promises, then the rest: what each later one may need. */
function rank(type: ResourceType): number {
  if (type.group === '' && type.plural === 'namespaces') return 0;
  if (type.group === 'apiextensions.k8s.io') return 1;
  if (type.group === 'platform.kratix.io' && type.plural === 'promises')
    return 2;
  return 3;
}

function describe(kind: string, namespace: string | undefined, name: string) {
  return `${kind} ${namespace ? `${namespace}/` : ''}${name}`;
}

function identity(
  type: ResourceType,
  namespace: string | undefined,
  name: string,
) {
  return `${type.group}/${type.plural}/${namespace ?? ''}/${name}`;
}

function isSynced(object: KubeObject): boolean {
  return object.metadata.labels?.[SYNCED_BY_LABEL] === SYNCED_BY_VALUE;
}

function lastApplied(object: KubeObject): Record<string, unknown> | undefined {
  const raw = object.metadata.annotations?.[SYNCED_CONFIG_ANNOTATION];
  if (!raw) return undefined;
  try {
    const parsed = JSON.parse(raw);
    return parsed && typeof parsed === 'object' ? parsed : undefined;
  } catch {
    return undefined;
  }
}

/** The object as sent: the file's object, marked as the sync's, with the file and itself recorded. */
function marked(
  declared: KubeObject,
  path: string,
  repositoryId: string,
): KubeObject {
  const metadata = declared.metadata;
  return {
    ...declared,
    metadata: {
      ...metadata,
      labels: { ...metadata.labels, [SYNCED_BY_LABEL]: SYNCED_BY_VALUE },
      annotations: {
        ...metadata.annotations,
        [SYNCED_FROM_ANNOTATION]: path,
        [SYNCED_REPOSITORY_ANNOTATION]: repositoryId,
        [SYNCED_CONFIG_ANNOTATION]: JSON.stringify(declared),
      },
    },
  };
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

export function startGitSync(options: GitSyncOptions): GitSync {
  const { repository, store, api, branch, path, logger } = options;
  const listeners = new Set<(result: GitSyncResult) => void>();
  let last: GitSyncResult | undefined;
  let running: Promise<GitSyncResult> | undefined;
  let queued: Promise<GitSyncResult> | undefined;
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;
  // Errors already logged by the previous sync: a file that stays broken is not logged every interval.
  let loggedErrors = new Set<string>();
  // Whether the last sync was suspended: the switch is logged when it flips, not every interval.
  let wasSuspended = false;

  /** The suspend switch as the store holds it now (read like an informer's cache, as the rest). */
  function isSuspended(): boolean {
    const switchMap = store.get(
      CONFIG_MAP_KEY,
      GIT_SYNC_SUSPEND_CONFIG_MAP.namespace,
      GIT_SYNC_SUSPEND_CONFIG_MAP.name,
    );
    const data = switchMap?.data as Record<string, unknown> | undefined;
    return data?.suspend === 'true';
  }

  /** Creates or patches one declared object; what it did, or throws why not. */
  async function apply(
    declared: DeclaredObject,
    type: ResourceType,
    version: string,
  ): Promise<GitSyncChange['action']> {
    const { object } = declared;
    const { name, namespace } = object.metadata;
    const live = store.get(type, namespace, name);
    if (live && !isSynced(live)) {
      throw new Error(
        `${describe(
          type.kind,
          namespace,
          name,
        )} already exists and was not created by the Git sync: it is left alone`,
      );
    }
    if (live?.metadata.deletionTimestamp) {
      throw new Error(
        `${describe(
          type.kind,
          namespace,
          name,
        )} is being deleted: it is applied again once it is gone`,
      );
    }
    const body = marked(object, declared.path, repository.id);
    if (!live) {
      await callApi(api, 'POST', resourcePath(type, version, namespace), body);
      return 'created';
    }
    const patch = threeWayMergePatch(lastApplied(live), body);
    // The store's own dry run says whether the patch would change anything: no write when not.
    const result = store.patch(type, namespace, name, 'merge', patch, {
      dryRun: true,
    });
    if (jsonEqual(result, live)) return 'unchanged';
    const stored = await callApi(
      api,
      'PATCH',
      resourcePath(type, version, namespace, name),
      patch,
      'application/merge-patch+json',
    );
    return stored?.metadata?.resourceVersion === live.metadata.resourceVersion
      ? 'unchanged'
      : 'updated';
  }

  async function runOnce(): Promise<GitSyncResult> {
    const result: GitSyncResult = {
      branch,
      path,
      startedAt: new Date().toISOString(),
      finishedAt: '',
      suspended: false,
      changes: [],
      errors: [],
    };
    const finish = () => {
      result.finishedAt = new Date().toISOString();
      return result;
    };
    // Suspended, Flux neither fetches nor applies nor prunes: nothing is read or changed.
    if (isSuspended()) {
      result.suspended = true;
      return finish();
    }
    let snapshot;
    try {
      snapshot = await repository.readFolder(branch, path);
    } catch (error) {
      result.errors.push({
        path: '',
        message: `cannot read branch ${branch}: ${messageOf(
          error,
        )}; nothing applied or deleted`,
      });
      return finish();
    }
    if (!snapshot) {
      result.errors.push({
        path: '',
        message: `branch ${branch} does not exist in the repository; nothing applied or deleted`,
      });
      return finish();
    }
    result.revision = snapshot.revision;
    for (const file of snapshot.tooLarge) {
      result.errors.push({
        path: file,
        message: 'larger than 1 MiB: not read',
      });
    }
    const parsed = parseFiles(snapshot.files);
    result.errors.push(...parsed.errors);
    // Objects of files not read this time are kept, as Flux keeps everything when a build fails.
    const kept = new Set([...parsed.refused, ...snapshot.tooLarge]);

    // Resolve each declared object's kind, namespace and identity.
    const declared: Array<{
      item: DeclaredObject;
      type: ResourceType;
      version: string;
    }> = [];
    const declaredBy = new Map<string, string>();
    for (const item of parsed.objects) {
      const { object } = item;
      const [group, version] = splitApiVersion(object.apiVersion);
      const type = store.resolveType(group, version, object.kind);
      const what = describe(
        object.kind,
        object.metadata.namespace,
        object.metadata.name,
      );
      if (!type || type.readOnly || type.createOnly) {
        result.errors.push({
          path: item.path,
          object: what,
          message: type
            ? `${type.kind} objects cannot be applied (the sandbox serves them read-only)`
            : `no matches for kind "${object.kind}" in version "${object.apiVersion}"`,
        });
        continue;
      }
      if (type.namespaced) object.metadata.namespace ??= 'default';
      else delete object.metadata.namespace;
      const key = identity(
        type,
        object.metadata.namespace,
        object.metadata.name,
      );
      const other = declaredBy.get(key);
      if (other !== undefined) {
        result.errors.push({
          path: item.path,
          object: what,
          message: `also declared in ${other}: the first declaration is applied`,
        });
        continue;
      }
      declaredBy.set(key, item.path);
      declared.push({ item, type, version });
    }

    declared.sort((a, b) => rank(a.type) - rank(b.type));
    for (const { item, type, version } of declared) {
      const { object } = item;
      const change = {
        path: item.path,
        apiVersion: object.apiVersion,
        kind: type.kind,
        ...(object.metadata.namespace
          ? { namespace: object.metadata.namespace }
          : {}),
        name: object.metadata.name,
      };
      try {
        result.changes.push({
          ...change,
          action: await apply(item, type, version),
        });
      } catch (error) {
        result.errors.push({
          path: item.path,
          object: describe(
            type.kind,
            object.metadata.namespace,
            object.metadata.name,
          ),
          message: messageOf(error),
        });
      }
    }

    // Prune: the sync's own objects that no file declares any more.
    const gone: Array<{ object: KubeObject; type: ResourceType }> = [];
    for (const type of store.listTypes()) {
      if (type.readOnly || type.createOnly) continue;
      const items = store.list(type, {
        labelSelector: `${SYNCED_BY_LABEL}=${SYNCED_BY_VALUE}`,
      }).items;
      for (const object of items) {
        const { namespace, name, deletionTimestamp } = object.metadata;
        if (declaredBy.has(identity(type, namespace, name))) continue;
        if (deletionTimestamp) continue;
        // Applied from another repository (an earlier sandbox's): not this sync's to delete.
        if (
          object.metadata.annotations?.[SYNCED_REPOSITORY_ANNOTATION] !==
          repository.id
        )
          continue;
        const from =
          object.metadata.annotations?.[SYNCED_FROM_ANNOTATION] ?? '';
        if (kept.has(from)) continue;
        gone.push({ object, type });
      }
    }
    gone.sort((a, b) => rank(b.type) - rank(a.type));
    for (const { object, type } of gone) {
      const { namespace, name } = object.metadata;
      const from = object.metadata.annotations?.[SYNCED_FROM_ANNOTATION] ?? '';
      try {
        await callApi(
          api,
          'DELETE',
          resourcePath(type, type.storageVersion, namespace, name),
          undefined,
        );
      } catch (error) {
        // Gone already (deleted with its namespace, or by hand): what the prune wanted.
        if (!(error instanceof ApiError && error.status === 404)) {
          result.errors.push({
            path: from,
            object: describe(type.kind, namespace, name),
            message: `could not delete it: ${messageOf(error)}`,
          });
          continue;
        }
      }
      result.changes.push({
        path: from,
        apiVersion: object.apiVersion,
        kind: type.kind,
        ...(namespace ? { namespace } : {}),
        name,
        action: 'deleted',
      });
    }
    return finish();
  }

  function report(result: GitSyncResult) {
    const { namespace, name } = GIT_SYNC_SUSPEND_CONFIG_MAP;
    if (result.suspended !== wasSuspended) {
      wasSuspended = result.suspended;
      logger.info(
        result.suspended
          ? `Git sync suspended (ConfigMap ${namespace}/${name} has suspend: "true"): nothing is applied or deleted until it is removed or set otherwise`
          : `Git sync resumed (ConfigMap ${namespace}/${name} no longer suspends it)`,
      );
    }
    if (result.suspended) return;
    const at = `${branch}@${result.revision?.slice(0, 7) ?? '?'}`;
    const done = result.changes.filter(c => c.action !== 'unchanged');
    if (done.length) {
      logger.info(
        `Git sync of ${at}: ${done
          .map(c => `${c.action} ${describe(c.kind, c.namespace, c.name)}`)
          .join(', ')}`,
      );
    }
    const now = new Set<string>();
    for (const error of result.errors) {
      const line = `Git sync of ${at}: ${error.path || 'the branch'}${
        error.object ? ` (${error.object})` : ''
      }: ${error.message}`;
      const key = `${error.path}\0${error.object}\0${error.message}`;
      now.add(key);
      if (!loggedErrors.has(key)) logger.warn(line);
      else logger.debug?.(line);
    }
    loggedErrors = now;
  }

  async function runAndReport(): Promise<GitSyncResult> {
    await options.ready;
    if (stopped) throw new Error('the Git sync is stopped');
    const result = await runOnce();
    last = result;
    report(result);
    for (const listener of listeners) {
      try {
        listener(result);
      } catch (error) {
        logger.error(`Git sync listener failed: ${messageOf(error)}`);
      }
    }
    return result;
  }

  function sync(): Promise<GitSyncResult> {
    if (stopped) return Promise.reject(new Error('the Git sync is stopped'));
    if (queued) return queued;
    if (!running) {
      running = runAndReport().finally(() => {
        running = undefined;
      });
      return running;
    }
    // One is running: the caller's push may be newer than what it read, so one more follows.
    queued = running
      .catch(() => undefined)
      .then(() => {
        queued = undefined;
        return sync();
      });
    return queued;
  }

  function schedule() {
    if (stopped || !options.intervalMs) return;
    timer = setTimeout(() => {
      timer = undefined;
      sync()
        .catch(error => {
          if (!stopped) logger.error(`Git sync failed: ${messageOf(error)}`);
        })
        .finally(schedule);
    }, options.intervalMs);
    timer.unref();
  }

  // The first sync once the seed is loaded, as a new Kustomization reconciles at once.
  if (options.intervalMs) {
    sync()
      .catch(error => {
        if (!stopped) logger.error(`Git sync failed: ${messageOf(error)}`);
      })
      .finally(schedule);
  }

  return {
    sync,
    get lastSync() {
      return last;
    },
    onSync(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      timer = undefined;
      await Promise.allSettled([running, queued]);
    },
  };
}
