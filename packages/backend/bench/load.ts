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
}

export const quantile = (sorted: number[], q: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];

/** One request over the given agent; resolves with status and body text. */
export function send(
  agent: http.Agent,
  req: BenchRequest,
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
    r.on('error', reject);
    r.end(payload);
  });
}

/**
 * Closed loop: `concurrency` workers share `requests` requests, each worker sending its next one as
 * soon as the previous answered. A warm-up of `warmup` requests (same concurrency) comes first.
 * Any non-2xx answer fails the run: a benchmark of error pages measures nothing.
 */
export async function closedLoop(
  req: BenchRequest,
  opts: { concurrency: number; requests: number; warmup: number },
): Promise<LoadResult> {
  const agent = new http.Agent({
    keepAlive: true,
    maxSockets: opts.concurrency,
  });
  try {
    const run = async (count: number, samples?: number[]) => {
      let next = 0;
      const worker = async () => {
        while (next < count) {
          next++;
          const t = performance.now();
          const res = await send(agent, req);
          const ms = performance.now() - t;
          if (res.status < 200 || res.status >= 300) {
            throw new Error(
              `${req.method ?? 'GET'} ${req.url}: HTTP ${
                res.status
              } ${res.body.slice(0, 300)}`,
            );
          }
          samples?.push(ms);
        }
      };
      await Promise.all(
        Array.from({ length: Math.min(opts.concurrency, count) }, worker),
      );
    };
    await run(opts.warmup);
    const samples: number[] = [];
    const start = performance.now();
    await run(opts.requests, samples);
    const wall = performance.now() - start;
    samples.sort((a, b) => a - b);
    return {
      concurrency: opts.concurrency,
      requests: samples.length,
      rps: (samples.length / wall) * 1000,
      p50: quantile(samples, 0.5),
      p95: quantile(samples, 0.95),
      p99: quantile(samples, 0.99),
      max: samples[samples.length - 1],
    };
  } finally {
    agent.destroy();
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
