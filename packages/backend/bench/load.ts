/*
 * Bench helpers: a small closed-loop HTTP load generator (N workers, each issuing its share of a
 * fixed number of requests back to back over keep-alive loopback connections), latency quantiles,
 * and a CPU profile of this process (the backend runs in-process) with its top self-time functions.
 * Bounded loops only; nothing here asserts on time.
 */
import fs from 'node:fs';
import http from 'node:http';
import { Session } from 'node:inspector/promises';
import { performance } from 'node:perf_hooks';

export interface BenchRequest {
  method?: 'GET' | 'POST';
  url: string;
  headers?: Record<string, string>;
  body?: unknown;
}

export interface LoadResult {
  concurrency: number;
  requests: number;
  /** Completed requests per second of wall time. */
  rps: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
  /**
   * This process's CPU time (user + system, every thread: the backend, the load generator and
   * crypto's thread pool) per request. Less noisy than latency on a shared machine.
   */
  cpuMsPerRequest: number;
}

export const quantile = (sorted: number[], q: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];

/**
 * One request over the given agent; resolves with status and body text. A keep-alive socket the
 * server closed while it sat idle (its keepAliveTimeout, e.g. while another load's round ran)
 * resets when reused: Node's documented race, so such a request is sent once more, on a new socket.
 */
export function send(
  agent: http.Agent,
  req: BenchRequest,
  retry = true,
): Promise<{ status: number; body: string }> {
  const payload =
    req.body === undefined ? undefined : Buffer.from(JSON.stringify(req.body));
  return new Promise((resolve, reject) => {
    const r = http.request(
      req.url,
      {
        agent,
        method: req.method ?? 'GET',
        headers: {
          ...req.headers,
          ...(payload
            ? {
                'Content-Type': 'application/json',
                'Content-Length': String(payload.length),
              }
            : {}),
        },
      },
      res => {
        const chunks: Buffer[] = [];
        res.on('data', c => chunks.push(c));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            body: Buffer.concat(chunks).toString('utf8'),
          }),
        );
        res.on('error', reject);
      },
    );
    r.on('error', (error: NodeJS.ErrnoException) => {
      if (retry && r.reusedSocket && error.code === 'ECONNRESET') {
        resolve(send(agent, req, false));
      } else {
        reject(error);
      }
    });
    r.end(payload);
  });
}

/** One closed loop: `concurrency` workers share `count` calls; call indexes from `offset`. */
async function loop(
  call: (i: number) => Promise<unknown>,
  concurrency: number,
  count: number,
  offset = 0,
): Promise<{ samples: number[]; wallMs: number; cpuMs: number }> {
  const samples: number[] = [];
  let next = 0;
  const worker = async () => {
    while (next < count) {
      const i = offset + next++;
      const t = performance.now();
      await call(i);
      samples.push(performance.now() - t);
    }
  };
  const start = performance.now();
  const cpu = process.cpuUsage();
  await Promise.all(
    Array.from({ length: Math.min(concurrency, count) }, worker),
  );
  const used = process.cpuUsage(cpu);
  return {
    samples,
    wallMs: performance.now() - start,
    cpuMs: (used.user + used.system) / 1000,
  };
}

function summarize(
  concurrency: number,
  samples: number[],
  wallMs: number,
  cpuMs: number,
): LoadResult {
  const sorted = [...samples].sort((a, b) => a - b);
  return {
    concurrency,
    requests: sorted.length,
    rps: (sorted.length / wallMs) * 1000,
    p50: quantile(sorted, 0.5),
    p95: quantile(sorted, 0.95),
    p99: quantile(sorted, 0.99),
    max: sorted[sorted.length - 1],
    cpuMsPerRequest: cpuMs / sorted.length,
  };
}

/**
 * Closed loop over any async call: `concurrency` workers share `requests` calls, each worker making
 * its next one as soon as the previous returned. A warm-up of `warmup` calls (same concurrency) comes
 * first. `call(i)` gets the call's index (0-based, warm-up and measured calls counted separately),
 * so a run can give every call its own input (a user, a token). A call that throws fails the run.
 */
export async function closedLoopCalls(
  call: (i: number) => Promise<unknown>,
  opts: { concurrency: number; requests: number; warmup: number },
): Promise<LoadResult> {
  await loop(call, opts.concurrency, opts.warmup);
  const { samples, wallMs, cpuMs } = await loop(
    call,
    opts.concurrency,
    opts.requests,
  );
  return summarize(opts.concurrency, samples, wallMs, cpuMs);
}

/**
 * Loads compared side by side: each is warmed up, then they take turns in `rounds` rounds (A, B,
 * A, B, …), each round a closed loop of requests / rounds calls, and each load's samples are pooled
 * over its rounds. On a machine shared with other work, a load burst elsewhere then lands on every
 * load alike instead of on whichever ran at that moment, so their ratio holds. Call indexes run
 * on across rounds (0 … requests - 1), so per-call inputs (one user each) are used once.
 */
export async function sideBySide<K extends string>(
  calls: Record<K, (i: number) => Promise<unknown>>,
  opts: {
    concurrency: number;
    requests: number;
    warmup: number;
    rounds: number;
  },
): Promise<Record<K, LoadResult>> {
  const names = Object.keys(calls) as K[];
  const pooled = new Map(
    names.map(n => [n, { samples: [] as number[], wallMs: 0, cpuMs: 0 }]),
  );
  for (const name of names) {
    await loop(calls[name], opts.concurrency, opts.warmup);
  }
  const perRound = Math.ceil(opts.requests / opts.rounds);
  for (let r = 0; r < opts.rounds; r++) {
    const offset = r * perRound;
    const count = Math.min(perRound, opts.requests - offset);
    if (count <= 0) break;
    for (const name of names) {
      const { samples, wallMs, cpuMs } = await loop(
        calls[name],
        opts.concurrency,
        count,
        offset,
      );
      const into = pooled.get(name)!;
      into.samples.push(...samples);
      into.wallMs += wallMs;
      into.cpuMs += cpuMs;
    }
  }
  return Object.fromEntries(
    names.map(n => {
      const { samples, wallMs, cpuMs } = pooled.get(n)!;
      return [n, summarize(opts.concurrency, samples, wallMs, cpuMs)];
    }),
  ) as Record<K, LoadResult>;
}

/**
 * An HTTP request as a call for the loops above, over keep-alive loopback connections: one request
 * for every call, or `req(i)` for the i-th (e.g. each with another user's token). Any non-2xx answer
 * throws: a benchmark of error pages measures nothing. `close()` drops the connections.
 */
export function httpCall(
  req: BenchRequest | ((i: number) => BenchRequest),
  maxSockets: number,
): { call: (i: number) => Promise<void>; close: () => void } {
  const agent = new http.Agent({ keepAlive: true, maxSockets });
  const requestFor = typeof req === 'function' ? req : () => req;
  return {
    call: async i => {
      const r = requestFor(i);
      const res = await send(agent, r);
      if (res.status < 200 || res.status >= 300) {
        throw new Error(
          `${r.method ?? 'GET'} ${r.url}: HTTP ${res.status} ${res.body.slice(
            0,
            300,
          )}`,
        );
      }
    },
    close: () => agent.destroy(),
  };
}

/** A closed loop of HTTP requests (closedLoopCalls with httpCall). */
export async function closedLoop(
  req: BenchRequest | ((i: number) => BenchRequest),
  opts: { concurrency: number; requests: number; warmup: number },
): Promise<LoadResult> {
  const { call, close } = httpCall(req, opts.concurrency);
  try {
    return await closedLoopCalls(call, opts);
  } finally {
    close();
  }
}

/** HTTP requests side by side (sideBySide with httpCall). */
export async function sideBySideHttp<K extends string>(
  requests: Record<K, BenchRequest | ((i: number) => BenchRequest)>,
  opts: {
    concurrency: number;
    requests: number;
    warmup: number;
    rounds: number;
  },
): Promise<Record<K, LoadResult>> {
  const handles = (Object.keys(requests) as K[]).map(
    name => [name, httpCall(requests[name], opts.concurrency)] as const,
  );
  const calls = {} as Record<K, (i: number) => Promise<unknown>>;
  for (const [name, handle] of handles) calls[name] = handle.call;
  try {
    return await sideBySide(calls, opts);
  } finally {
    for (const [, handle] of handles) handle.close();
  }
}

/** Profiles this process (V8's sampling profiler through the inspector) while `fn` runs. */
export async function withCpuProfile<T>(
  file: string,
  fn: () => Promise<T>,
): Promise<T> {
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.setSamplingInterval', { interval: 200 });
  await session.post('Profiler.start');
  try {
    return await fn();
  } finally {
    const { profile } = await session.post('Profiler.stop');
    fs.writeFileSync(file, JSON.stringify(profile));
    session.disconnect();
  }
}

interface CpuProfileNode {
  id: number;
  callFrame: {
    functionName: string;
    url: string;
    lineNumber: number;
  };
}

export interface SelfTimeRow {
  function: string;
  url: string;
  selfMs: number;
  percent: number;
}

/**
 * The functions with the most self time in a .cpuprofile (from `node --cpu-prof` or
 * withCpuProfile): each sample's time delta goes to the node it hit, summed per function name + url.
 */
export function topSelfTime(file: string, top = 15): SelfTimeRow[] {
  const profile = JSON.parse(fs.readFileSync(file, 'utf8')) as {
    nodes: CpuProfileNode[];
    samples?: number[];
    timeDeltas?: number[];
  };
  const byId = new Map(profile.nodes.map(n => [n.id, n]));
  const samples = profile.samples ?? [];
  const deltas = profile.timeDeltas ?? [];
  const self = new Map<string, SelfTimeRow>();
  let total = 0;
  for (let i = 0; i < samples.length; i++) {
    // timeDeltas[i] is the time before sample i; the time after it (the next delta) is its own.
    const us = deltas[i + 1] ?? 0;
    const node = byId.get(samples[i]);
    if (!node || us <= 0) continue;
    const fnName = node.callFrame.functionName || '(anonymous)';
    const url = node.callFrame.url
      .replace(/^file:\/\//, '')
      .replace(/^.*\/node_modules\//, '~/');
    const key = `${fnName}\u0000${url}`;
    const row = self.get(key) ?? {
      function: fnName,
      url,
      selfMs: 0,
      percent: 0,
    };
    row.selfMs += us / 1000;
    total += us / 1000;
    self.set(key, row);
  }
  return [...self.values()]
    .sort((a, b) => b.selfMs - a.selfMs)
    .slice(0, top)
    .map(r => ({ ...r, percent: total ? (100 * r.selfMs) / total : 0 }));
}

export function formatSelfTime(rows: SelfTimeRow[]): string {
  return rows
    .map(
      (r, i) =>
        `  ${String(i + 1).padStart(2)}. ${r.selfMs
          .toFixed(0)
          .padStart(6)} ms ${r.percent.toFixed(1).padStart(5)}%  ${
          r.function
        }  ${r.url}`,
    )
    .join('\n');
}
