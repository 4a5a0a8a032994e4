/*
 * Kratix's workflow Jobs on one cluster, from one watch (label `kratix.io/promise-name`, which Kratix
 * puts on every workflow Job), indexed by the Resource they ran for: a timeline read costs a map
 * lookup instead of a list call to the cluster. Needs list/watch on batch/v1 jobs in all
 * namespaces, as the list call before it did.
 */
import type {
  BatchV1Api,
  KubeConfig,
  KubernetesListObject,
  V1Job,
} from '@kubernetes/client-node';
import { KindWatcher, type WatchChange } from './KindWatcher';
import type { KratixClusterUnavailableError } from './clusterErrors';

const PROMISE_LABEL = 'kratix.io/promise-name';
const RESOURCE_LABEL = 'kratix.io/resource-name';
const RESOURCE_NAMESPACE_LABEL = 'kratix.io/resource-namespace';

const keyOf = (promise: string, name: string) => `${promise}/${name}`;

export class WorkflowJobs {
  private readonly watcher: KindWatcher<V1Job & { metadata: any }>;
  /** promise/resource-name → job uid → Job. */
  private readonly byResource = new Map<string, Map<string, V1Job>>();

  constructor(options: {
    cluster: string;
    kubeConfig: KubeConfig;
    batch: BatchV1Api;
    initialBackoffMs?: number;
    onError?: (error: KratixClusterUnavailableError, cause: unknown) => void;
  }) {
    this.watcher = new KindWatcher({
      cluster: options.cluster,
      kubeConfig: options.kubeConfig,
      path: '/apis/batch/v1/jobs',
      labelSelector: PROMISE_LABEL,
      list: () =>
        options.batch.listJobForAllNamespaces({
          labelSelector: PROMISE_LABEL,
        }) as Promise<KubernetesListObject<V1Job & { metadata: any }>>,
      onChange: change => this.index(change),
      onError: options.onError,
      initialBackoffMs: options.initialBackoffMs,
    });
  }

  start(): void {
    this.watcher.start();
  }

  stop(): Promise<void> {
    return this.watcher.stop();
  }

  /** The workflow Jobs the cluster still has for a Resource. */
  async forResource(
    promise: string,
    namespace: string,
    name: string,
    timeoutMs: number,
  ): Promise<V1Job[]> {
    await this.watcher.ready(timeoutMs);
    const jobs = this.byResource.get(keyOf(promise, name));
    if (!jobs) return [];
    // Before Kratix labelled the resource namespace, names could collide across namespaces.
    return [...jobs.values()].filter(job => {
      const ns = job.metadata?.labels?.[RESOURCE_NAMESPACE_LABEL];
      return !ns || ns === namespace;
    });
  }

  private index({ type, object }: WatchChange<V1Job>) {
    const labels = object.metadata?.labels ?? {};
    const promise = labels[PROMISE_LABEL];
    const name = labels[RESOURCE_LABEL];
    const uid = object.metadata?.uid;
    if (!promise || !name || !uid) return;
    const key = keyOf(promise, name);
    let jobs = this.byResource.get(key);
    if (type === 'deleted') {
      jobs?.delete(uid);
      if (jobs?.size === 0) this.byResource.delete(key);
      return;
    }
    if (!jobs) {
      jobs = new Map();
      this.byResource.set(key, jobs);
    }
    jobs.set(uid, object);
  }
}
