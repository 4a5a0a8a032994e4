/*
 * The Pods of Kratix's workflow Jobs and their containers' logs, read from the cluster when asked
 * (not watched: logs are read rarely, and a Pod comes and goes with every run). The standard API:
 * list pods by Kratix's labels, get pods/log, and for follow a streamed pods/log request. Needs
 * `get` and `list` on `pods` and `get` on `pods/log` in the namespaces the pipelines run in; a 403
 * names the access that is missing (KratixPodLogError, reason `forbidden`).
 */
import type { CoreV1Api, KubeConfig, V1Pod } from '@kubernetes/client-node';
import http from 'node:http';
import https from 'node:https';
import type { Writable } from 'node:stream';
import {
  kubeStatusBody,
  kubeStatusCode,
  toClusterError,
} from './clusterErrors';

const PROMISE_LABEL = 'kratix.io/promise-name';
const RESOURCE_LABEL = 'kratix.io/resource-name';

/**
 * Why a Pod's log could not be read: the service account lacks access (`forbidden`), the Pod is
 * gone (`gone`), or the cluster refused the request (`invalid`: a container that has not started,
 * say). The message names the cluster and the missing access, never a URL.
 *
 * @public
 */
export class KratixPodLogError extends Error {
  constructor(
    readonly reason: 'forbidden' | 'gone' | 'invalid',
    message: string,
  ) {
    super(message);
    this.name = 'KratixPodLogError';
  }
}

/**
 * One container's log to read.
 *
 * @public
 */
export interface KratixPodLogRequest {
  namespace: string;
  pod: string;
  container: string;
  tailLines?: number;
  limitBytes?: number;
  /** Each line starts with Kubernetes' RFC 3339 time. */
  timestamps?: boolean;
}

/**
 * A followed log: `done` settles when the cluster ends the stream (the container ended, or the
 * stream was aborted); `abort()` ends it from this side.
 *
 * @public
 */
export interface KratixPodLogFollow {
  done: Promise<void>;
  abort(): void;
}

export class PodLogs {
  constructor(
    private readonly options: {
      cluster: string;
      kubeConfig: KubeConfig;
      core: CoreV1Api;
      requestTimeoutMs: number;
    },
  ) {}

  /** The pipeline Pods of a Resource in one namespace (where its Jobs run). */
  async podsOf(
    namespace: string,
    promise: string,
    resourceName: string,
  ): Promise<V1Pod[]> {
    const list = await this.call(
      () =>
        this.options.core.listNamespacedPod({
          namespace,
          labelSelector: `${PROMISE_LABEL}=${promise},${RESOURCE_LABEL}=${resourceName}`,
        }),
      `list pods in namespace ${namespace}`,
      'grant it get and list on pods',
    );
    return list.items;
  }

  /** One container's log (bounded by `limitBytes`). */
  async read(request: KratixPodLogRequest): Promise<string> {
    const text = await this.call(
      () =>
        this.options.core.readNamespacedPodLog({
          name: request.pod,
          namespace: request.namespace,
          container: request.container,
          tailLines: request.tailLines,
          limitBytes: request.limitBytes,
          timestamps: request.timestamps,
        }),
      `get pods/log in namespace ${request.namespace}`,
      'grant it get on pods/log',
      request.pod,
    );
    return typeof text === 'string' ? text : String(text ?? '');
  }

  /**
   * Streams one container's log into `out` while it runs (a streamed pods/log request with
   * `follow=true`); `out` is ended when the cluster ends the stream or on abort(). Resolves once the
   * cluster answered 200; a refusal rejects as read() does.
   */
  async follow(
    request: KratixPodLogRequest,
    out: Writable,
  ): Promise<KratixPodLogFollow> {
    const { kubeConfig } = this.options;
    const server = kubeConfig.getCurrentCluster()?.server;
    if (!server)
      throw new Error(`No server for cluster ${this.options.cluster}`);
    const url = new URL(
      `${server.replace(/\/$/, '')}/api/v1/namespaces/${encodeURIComponent(
        request.namespace,
      )}/pods/${encodeURIComponent(request.pod)}/log`,
    );
    url.searchParams.set('container', request.container);
    url.searchParams.set('follow', 'true');
    if (request.tailLines !== undefined)
      url.searchParams.set('tailLines', String(request.tailLines));
    if (request.limitBytes !== undefined)
      url.searchParams.set('limitBytes', String(request.limitBytes));
    if (request.timestamps) url.searchParams.set('timestamps', 'true');
    const options: https.RequestOptions = {};
    await kubeConfig.applyToHTTPSOptions(options);
    const secure = url.protocol === 'https:';
    if (!secure) delete options.agent;

    let req: http.ClientRequest | undefined;
    const response = await this.call(
      () =>
        new Promise<http.IncomingMessage>((resolve, reject) => {
          req = (secure ? https : http).request(
            url,
            { ...options, method: 'GET' },
            resolve,
          );
          req.on('error', reject);
          req.end();
        }),
      `get pods/log in namespace ${request.namespace}`,
      'grant it get on pods/log',
      request.pod,
      async () => {
        req?.destroy();
      },
    ).catch(async error => {
      req?.destroy();
      throw error;
    });
    if (response.statusCode !== 200) {
      const body = await readAll(response);
      req?.destroy();
      // Thrown as client-node throws, so call()'s translation applies.
      return this.call(
        () =>
          Promise.reject(
            Object.assign(new Error(`HTTP ${response.statusCode}`), {
              code: response.statusCode,
              body,
            }),
          ),
        `get pods/log in namespace ${request.namespace}`,
        'grant it get on pods/log',
        request.pod,
      );
    }
    const done = new Promise<void>(resolve => {
      const finish = () => {
        if (!out.writableEnded) out.end();
        resolve();
      };
      response.on('end', finish);
      response.on('close', finish);
      // A broken connection ends the log like its end: the caller sees the stream end.
      response.on('error', finish);
    });
    // With backpressure; the end is ours (above), so an abort ends `out` too.
    response.pipe(out, { end: false });
    return {
      done,
      abort: () => {
        req?.destroy();
        response.destroy();
      },
    };
  }

  /** A call with the cluster's timeout; 403/404/400 as KratixPodLogError, the rest as cluster errors. */
  private async call<T>(
    fn: () => Promise<T>,
    what: string,
    grant: string,
    pod?: string,
    onTimeout?: () => Promise<void>,
  ): Promise<T> {
    let timer: NodeJS.Timeout | undefined;
    const { cluster } = this.options;
    try {
      return await Promise.race([
        fn(),
        new Promise<never>((_, reject) => {
          timer = setTimeout(() => {
            const error = new Error('timeout');
            error.name = 'TimeoutError';
            void onTimeout?.();
            reject(error);
          }, this.options.requestTimeoutMs);
        }),
      ]);
    } catch (error) {
      const status = kubeStatusCode(error);
      if (status === 403) {
        throw new KratixPodLogError(
          'forbidden',
          `Backstage's service account may not ${what} on cluster ${cluster}: ${grant}`,
        );
      }
      if (status === 404 && pod) {
        throw new KratixPodLogError(
          'gone',
          `Pod ${pod} no longer exists on cluster ${cluster}`,
        );
      }
      if (status === 400) {
        const message = kubeStatusBody(error)?.message;
        throw new KratixPodLogError(
          'invalid',
          typeof message === 'string'
            ? message
            : `Cluster ${cluster} refused to ${what}`,
        );
      }
      throw toClusterError(cluster, error) ?? error;
    } finally {
      clearTimeout(timer);
    }
  }
}

function readAll(response: http.IncomingMessage): Promise<string> {
  return new Promise(resolve => {
    let text = '';
    response.setEncoding('utf8');
    response.on('data', chunk => {
      // Kubernetes' Status is small; more is not read.
      if (text.length < 64 * 1024) text += chunk;
    });
    response.on('end', () => resolve(text));
    response.on('error', () => resolve(text));
  });
}
