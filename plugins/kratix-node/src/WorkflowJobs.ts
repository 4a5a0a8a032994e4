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
import { ObjectIndex } from './ObjectIndex';
import type { KratixClusterUnavailableError } from './clusterErrors';

const PROMISE_LABEL = 'kratix.io/promise-name';
const RESOURCE_LABEL = 'kratix.io/resource-name';
const RESOURCE_NAMESPACE_LABEL = 'kratix.io/resource-namespace';

const keyOf = (promise: string, name: string) => `${promise}/${name}`;

export class WorkflowJobs {
  private readonly watcher: KindWatcher<V1Job & { metadata: any }>;
  /** promise/resource-name → Jobs. */
  private readonly byResource = new ObjectIndex<V1Job>(job => {
    const labels = job.metadata?.labels ?? {};
    const promise = labels[PROMISE_LABEL];
    const name = labels[RESOURCE_LABEL];
    return promise && name ? keyOf(promise, name) : undefined;
  });

  constructor(options: {
    cluster: string;
    kubeConfig: KubeConfig;
    batch: BatchV1Api;
    initialBackoffMs?: number;
    onError?: (error: KratixClusterUnavailableError, cause: unknown) => void;
    /** Every change to a workflow Job, after the index holds it. */
    onChange?: (change: WatchChange<V1Job>) => void;
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
      onChange: change => {
        this.byResource.apply(change);
        options.onChange?.(change);
      },
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
    // Before Kratix labelled the resource namespace, names could collide across namespaces.
    return this.byResource.get(keyOf(promise, name)).filter(job => {
      const ns = job.metadata?.labels?.[RESOURCE_NAMESPACE_LABEL];
      return !ns || ns === namespace;
    });
  }
}
