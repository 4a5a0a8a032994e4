/*
 * A watch-fed cache of one kind on one cluster: a client-node informer (list, then watch from its
 * resourceVersion, relisting by itself on 410 Gone) that this class restarts with exponential backoff
 * when the cluster drops it, and whose health it reports so reads can fail with a reason.
 */
import {
  makeInformer,
  type Informer,
  type KubeConfig,
  type KubernetesObject,
  type ListPromise,
  type ObjectCache,
} from '@kubernetes/client-node';
import {
  KratixClusterUnavailableError,
  kubeStatusCode,
  toClusterError,
} from './clusterErrors';

/**
 * A change a watch saw to one object.
 *
 * @public
 */
export type WatchChange<T> = {
  type: 'added' | 'modified' | 'deleted';
  object: T;
};

export interface KindWatcherOptions<T extends KubernetesObject> {
  cluster: string;
  kubeConfig: KubeConfig;
  /** The list/watch path, e.g. /apis/platform.kratix.io/v1alpha1/promises. */
  path: string;
  list: ListPromise<T>;
  /** Only objects with these labels (e.g. `kratix.io/promise-name` for Kratix's Jobs). */
  labelSelector?: string;
  onChange?: (change: WatchChange<T>) => void;
  onError?: (error: KratixClusterUnavailableError, cause: unknown) => void;
  initialBackoffMs?: number;
  maxBackoffMs?: number;
}

export class KindWatcher<T extends KubernetesObject> {
  private readonly informer: Informer<T> & ObjectCache<T>;
  private readonly options: KindWatcherOptions<T>;
  private backoffMs: number;
  private retryTimer?: NodeJS.Timeout;
  private stopped = false;
  private synced = false;
  private error?: KratixClusterUnavailableError;
  private waiters: Array<() => void> = [];

  constructor(options: KindWatcherOptions<T>) {
    this.options = options;
    this.backoffMs = options.initialBackoffMs ?? 500;
    this.informer = makeInformer(
      options.kubeConfig,
      options.path,
      options.list,
      options.labelSelector,
    );
    const forward = (type: WatchChange<T>['type']) => (object: T) =>
      options.onChange?.({ type, object });
    this.informer.on('add', forward('added'));
    this.informer.on('update', forward('modified'));
    this.informer.on('delete', forward('deleted'));
    this.informer.on('error', cause => this.failed(cause));
  }

  start(): void {
    this.stopped = false;
    void this.run();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.retryTimer);
    await this.informer.stop();
    this.wake();
  }

  /** Healthy: listed and watching. */
  get isSynced(): boolean {
    return this.synced && !this.error;
  }

  /** Resolves once listed, or rejects with the cluster's error when it cannot be listed. */
  async ready(timeoutMs: number): Promise<void> {
    if (this.isSynced) return;
    if (this.error) throw this.error;
    await new Promise<void>(resolve => {
      const timer = setTimeout(resolve, timeoutMs);
      this.waiters.push(() => {
        clearTimeout(timer);
        resolve();
      });
    });
    if (this.error) throw this.error;
    if (!this.synced) {
      throw new KratixClusterUnavailableError(
        this.options.cluster,
        'timeout',
        `Cluster ${this.options.cluster} did not answer in time`,
      );
    }
  }

  get(name: string, namespace?: string): T | undefined {
    return this.informer.get(name, namespace);
  }

  list(namespace?: string): ReadonlyArray<T> {
    return this.informer.list(namespace);
  }

  private async run() {
    let failedDuringStart = false;
    const onError = () => {
      failedDuringStart = true;
    };
    this.informer.on('error', onError);
    try {
      await this.informer.start();
    } catch (cause) {
      this.failed(cause);
    } finally {
      this.informer.off('error', onError);
    }
    if (!failedDuringStart && !this.stopped) {
      this.synced = true;
      this.error = undefined;
      this.backoffMs = this.options.initialBackoffMs ?? 500;
      this.wake();
    }
  }

  private failed(cause: unknown) {
    if (this.stopped) return;
    const error =
      toClusterError(this.options.cluster, cause) ??
      this.notServed(cause) ??
      new KratixClusterUnavailableError(
        this.options.cluster,
        'unknown',
        `Cluster ${this.options.cluster} failed unexpectedly`,
      );
    this.error = error;
    this.options.onError?.(error, cause);
    this.wake();
    // The informer stops itself after an error; start it again, backing off while it keeps failing.
    clearTimeout(this.retryTimer);
    this.retryTimer = setTimeout(() => {
      if (!this.stopped) void this.run();
    }, this.backoffMs);
    this.backoffMs = Math.min(
      this.backoffMs * 2,
      this.options.maxBackoffMs ?? 30_000,
    );
  }

  /** 404 on a list: the cluster does not serve the kind (a CRD not installed, an older Kratix). */
  private notServed(cause: unknown): KratixClusterUnavailableError | undefined {
    if (kubeStatusCode(cause) !== 404) return undefined;
    const [, , group, version, plural] = this.options.path.split('/');
    return new KratixClusterUnavailableError(
      this.options.cluster,
      'unknown',
      `Cluster ${this.options.cluster} does not serve ${plural}.${group}/${version}`,
    );
  }

  private wake() {
    const waiters = this.waiters;
    this.waiters = [];
    waiters.forEach(w => w());
  }
}
