/*
 * Turns whatever a cluster call threw into a typed, per-cluster error that names the cluster and
 * never carries its URL, token or a stack: this text reaches users.
 */
import type { KratixClusterError } from '@kratix-backstage/plugin-kratix-common';

/**
 * A cluster could not answer: unreachable, timed out, unauthorized or forbidden.
 *
 * @public
 */
export class KratixClusterUnavailableError extends Error {
  readonly cluster: string;
  readonly type: KratixClusterError['type'];

  constructor(
    cluster: string,
    type: KratixClusterError['type'],
    message: string,
  ) {
    super(message);
    this.name = 'KratixClusterUnavailableError';
    this.cluster = cluster;
    this.type = type;
  }

  /** 504 when the cluster did not answer in time, 503 otherwise (read by error handlers). */
  get statusCode(): number {
    return this.type === 'timeout' ? 504 : 503;
  }

  toJSON(): KratixClusterError {
    return { cluster: this.cluster, type: this.type, message: this.message };
  }
}

/** The HTTP status a Kubernetes client error carries (client-node ApiException: `code`). */
export function kubeStatusCode(error: unknown): number | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const e = error as { code?: unknown; statusCode?: unknown };
  if (typeof e.code === 'number') return e.code;
  if (typeof e.statusCode === 'number') return e.statusCode;
  return undefined;
}

/** The Kubernetes Status body of a client-node ApiException, when there is one. */
export function kubeStatusBody(
  error: unknown,
): Record<string, any> | undefined {
  const body = (error as { body?: unknown })?.body;
  if (typeof body === 'string') {
    try {
      return JSON.parse(body);
    } catch {
      return undefined;
    }
  }
  return typeof body === 'object' && body !== null
    ? (body as Record<string, any>)
    : undefined;
}

const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EPIPE',
  'UND_ERR_SOCKET',
]);

function networkCode(error: unknown): string | undefined {
  let current: any = error;
  for (let depth = 0; current && depth < 5; depth++) {
    if (typeof current.code === 'string') return current.code;
    if (typeof current.errno === 'string') return current.errno;
    current = current.cause;
  }
  return undefined;
}

/**
 * Classifies a failure of a call to `cluster`; undefined when it is not a cluster-level failure.
 *
 * @public
 */
export function toClusterError(
  cluster: string,
  error: unknown,
): KratixClusterUnavailableError | undefined {
  if (error instanceof KratixClusterUnavailableError) return error;
  const status = kubeStatusCode(error);
  if (status === 401) {
    return new KratixClusterUnavailableError(
      cluster,
      'unauthorized',
      `Cluster ${cluster} rejected Backstage's credentials`,
    );
  }
  if (status === 403) {
    return new KratixClusterUnavailableError(
      cluster,
      'forbidden',
      `Cluster ${cluster} does not allow Backstage's service account this call`,
    );
  }
  if (status !== undefined && status >= 500) {
    return new KratixClusterUnavailableError(
      cluster,
      'unreachable',
      `Cluster ${cluster} answered with an error (HTTP ${status})`,
    );
  }
  if (status !== undefined) return undefined;
  const code = networkCode(error);
  const name = (error as Error)?.name;
  if (
    name === 'TimeoutError' ||
    name === 'AbortError' ||
    code === 'ETIMEDOUT'
  ) {
    return new KratixClusterUnavailableError(
      cluster,
      'timeout',
      `Cluster ${cluster} did not answer in time`,
    );
  }
  if (
    (code && NETWORK_CODES.has(code)) ||
    (error as Error)?.message === 'fetch failed'
  ) {
    return new KratixClusterUnavailableError(
      cluster,
      'unreachable',
      `Cluster ${cluster} is unreachable`,
    );
  }
  // The raw message may carry the cluster URL: callers log it, users get this.
  return new KratixClusterUnavailableError(
    cluster,
    'unknown',
    `Cluster ${cluster} failed unexpectedly`,
  );
}
