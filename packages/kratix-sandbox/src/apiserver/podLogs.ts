/*
 * GET /api/v1/namespaces/{ns}/pods/{name}/log: a pipeline container's output as the kubelet serves
 * it through the API server (PodLogOptions), text/plain.
 *
 *  - `container`: may be left out when the Pod has one container (the pipeline Pods have one,
 *    `status-writer`: their others are init containers). Kubernetes' errors: `a container name must
 *    be specified for pod X, choose one of: [...]`, `container X is not valid for pod Y`, and for a
 *    container that has not started `container "X" in pod "Y" is waiting to start: PodInitializing`
 *    (400 Status objects). `kubectl logs` without `-c` picks the first main container itself
 *    (`Defaulted container "status-writer" out of: ...` on stderr), or the
 *    `kubectl.kubernetes.io/default-container` annotation, which Kratix does not set.
 *  - `follow`: lines as they are written, until the container exits (or the Pod goes).
 *  - `tailLines`, `sinceSeconds` / `sinceTime`, `limitBytes`, `timestamps` (RFC3339Nano prefix).
 *  - `previous`: containers are never restarted here, so there is none (400, as Kubernetes says).
 * Booleans are read as the API server reads them (queryBool.ts).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import {
  badRequest,
  invalid,
  methodNotAllowed,
  notFound,
} from '../store/errors';
import type { KubeObject, Store } from '../store/types';
import { queryBool } from './queryBool';

const POD_KEY = { group: '', plural: 'pods' };

/** One line of a container's log (see runner/containerLog.ts). */
export interface PodLogLine {
  time: number;
  text: string;
}

/** A container's log as the API server reads it. */
export interface ContainerLogSource {
  lines(): PodLogLine[];
  readonly finished: boolean;
  /** New lines until the container exits; returns an unsubscribe. */
  follow(line: (line: PodLogLine) => void, end: () => void): () => void;
}

/** Finds the log of a container of a Pod (by the Pod's uid). */
export type PodLogLookup = (
  podUid: string,
  container: string,
) => ContainerLogSource | undefined;

interface ContainerSpec {
  name: string;
}

/** Go's time.RFC3339Nano: UTC, fraction without trailing zeros (none when whole seconds). */
export function rfc3339Nano(ms: number): string {
  const iso = new Date(ms).toISOString(); // 2024-01-02T03:04:05.670Z
  const [whole, fraction] = iso.slice(0, -1).split('.');
  const trimmed = (fraction ?? '').replace(/0+$/, '');
  return `${whole}${trimmed ? `.${trimmed}` : ''}Z`;
}

/** kube's validateContainer (pkg/registry/core/pod/strategy.go) with the kubelet's not-started error. */
export function chooseContainer(pod: KubeObject, requested: string): string {
  const spec = (pod.spec ?? {}) as {
    initContainers?: ContainerSpec[];
    containers?: ContainerSpec[];
  };
  const init = spec.initContainers ?? [];
  const main = spec.containers ?? [];
  const name = pod.metadata.name;
  if (!requested) {
    if (main.length === 1) return main[0].name;
    if (main.length === 0)
      throw badRequest(`a container name must be specified for pod ${name}`);
    // podutil.VisitContainers order: init containers, then the others; Go prints a []string as [a b].
    const names = [...init, ...main].map(c => c.name).join(' ');
    throw badRequest(
      `a container name must be specified for pod ${name}, choose one of: [${names}]`,
    );
  }
  if (![...init, ...main].some(c => c.name === requested))
    throw badRequest(`container ${requested} is not valid for pod ${name}`);
  return requested;
}

function containerState(pod: KubeObject, container: string) {
  const status = (pod.status ?? {}) as {
    initContainerStatuses?: Array<{ name: string; state?: any }>;
    containerStatuses?: Array<{ name: string; state?: any }>;
  };
  return [
    ...(status.initContainerStatuses ?? []),
    ...(status.containerStatuses ?? []),
  ].find(c => c.name === container)?.state;
}

function integer(
  query: URLSearchParams,
  name: string,
  min: number,
): number | undefined {
  const raw = query.get(name);
  if (raw === null) return undefined;
  if (!/^-?\d+$/.test(raw))
    throw badRequest(
      `invalid value for ${name}: ${JSON.stringify(raw)}: not an integer`,
    );
  const value = Number(raw);
  if (value < min) {
    throw invalid('', 'PodLogOptions', '', [
      {
        reason: 'FieldValueInvalid',
        field: name,
        message: `Invalid value: ${value}: must be greater than ${
          min === 0 ? 'or equal to 0' : min - 1
        }`,
      },
    ]);
  }
  return value;
}

export function servePodLog(
  store: Store,
  req: IncomingMessage,
  res: ServerResponse,
  target: { namespace: string; name: string },
  query: URLSearchParams,
  lookup: PodLogLookup | undefined,
  open: Set<() => void>,
): void {
  if (req.method !== 'GET') throw methodNotAllowed();
  const pod = store.get(POD_KEY, target.namespace, target.name);
  if (!pod) throw notFound(POD_KEY, target.name);
  const container = chooseContainer(pod, query.get('container') ?? '');
  const tailLines = integer(query, 'tailLines', 0);
  const limitBytes = integer(query, 'limitBytes', 1);
  const sinceSeconds = integer(query, 'sinceSeconds', 1);
  const sinceTime = query.get('sinceTime');
  if (sinceSeconds !== undefined && sinceTime) {
    throw invalid('', 'PodLogOptions', '', [
      {
        reason: 'FieldValueForbidden',
        field: '',
        message:
          'Forbidden: at most one of `sinceTime` or `sinceSeconds` may be specified',
      },
    ]);
  }
  let since: number | undefined;
  if (sinceSeconds !== undefined) since = Date.now() - sinceSeconds * 1000;
  else if (sinceTime) since = Date.parse(sinceTime);
  if (since !== undefined && Number.isNaN(since))
    throw badRequest(
      `invalid value for sinceTime: ${JSON.stringify(sinceTime)}`,
    );
  const follow = queryBool(query, 'follow');
  const timestamps = queryBool(query, 'timestamps');
  if (queryBool(query, 'previous')) {
    throw badRequest(
      `previous terminated container "${container}" in pod "${pod.metadata.name}" not found`,
    );
  }
  const state = containerState(pod, container);
  const log = pod.metadata.uid
    ? lookup?.(pod.metadata.uid, container)
    : undefined;
  if (
    !state ||
    state.waiting ||
    (!log && !state.terminated && !state.running)
  ) {
    const reason = state?.waiting?.reason ?? 'PodInitializing';
    throw badRequest(
      `container "${container}" in pod "${pod.metadata.name}" is waiting to start: ${reason}`,
    );
  }

  let budget = limitBytes ?? Infinity;
  const format = (line: PodLogLine) =>
    timestamps ? `${rfc3339Nano(line.time)} ${line.text}` : line.text;
  let lines = (log?.lines() ?? []).filter(
    l => since === undefined || l.time >= since,
  );
  if (tailLines !== undefined)
    lines = tailLines === 0 ? [] : lines.slice(-tailLines);

  res.writeHead(200, {
    'Content-Type': 'text/plain',
    'Cache-Control': 'no-cache, private',
    ...(follow ? { 'Transfer-Encoding': 'chunked' } : {}),
  });
  /** Writes within limitBytes; false once the limit is reached. */
  const write = (text: string): boolean => {
    if (budget <= 0) return false;
    let chunk = Buffer.from(text);
    if (chunk.length > budget) chunk = chunk.subarray(0, budget);
    budget -= chunk.length;
    res.write(chunk);
    return budget > 0;
  };
  let open_ = true;
  for (const line of lines) {
    if (!write(format(line))) {
      open_ = false;
      break;
    }
  }
  if (!follow || !open_ || !log || log.finished) {
    res.end();
    return;
  }
  res.flushHeaders();
  let unsubscribe = () => {};
  const end = () => {
    unsubscribe();
    open.delete(end);
    if (!res.writableEnded) res.end();
  };
  unsubscribe = log.follow(line => {
    if (!write(format(line))) end();
  }, end);
  open.add(end);
  req.on('close', end);
  res.on('close', end);
}
