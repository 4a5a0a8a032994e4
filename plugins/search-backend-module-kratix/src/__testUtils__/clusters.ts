/*
 * Test wiring: a real DefaultKratixClusterService (kratix-node) connected to sandbox platforms over
 * their Kubernetes API, with a logger that keeps every line so tests can wait on what it reports.
 */
import type { LoggerService } from '@backstage/backend-plugin-api';
import type { Sandbox } from '@kratix-backstage/sandbox';
import { sandboxClusterDetails } from '@kratix-backstage/sandbox/backend';
import { DefaultKratixClusterService } from '@kratix-backstage/plugin-kratix-node';

export interface LogLine {
  level: string;
  message: string;
  meta?: unknown;
}

export class ListeningLogger implements LoggerService {
  private listeners = new Set<(line: LogLine) => void>();
  constructor(readonly lines: LogLine[] = []) {}
  error(message: string, meta?: unknown) {
    this.log({ level: 'error', message, meta });
  }
  warn(message: string, meta?: unknown) {
    this.log({ level: 'warn', message, meta });
  }
  info(message: string, meta?: unknown) {
    this.log({ level: 'info', message, meta });
  }
  debug(message: string, meta?: unknown) {
    this.log({ level: 'debug', message, meta });
  }
  child(): LoggerService {
    return this;
  }
  /** Resolves with the first line (already logged or to come) that matches. */
  waitFor(match: (line: LogLine) => boolean): Promise<LogLine> {
    const seen = this.lines.find(match);
    if (seen) return Promise.resolve(seen);
    return new Promise(resolve => {
      const listener = (line: LogLine) => {
        if (!match(line)) return;
        this.listeners.delete(listener);
        resolve(line);
      };
      this.listeners.add(listener);
    });
  }
  private log(line: LogLine) {
    this.lines.push(line);
    this.listeners.forEach(l => l(line));
  }
}

export async function clusterServiceFor(
  sandboxes: Record<string, Pick<Sandbox, 'url' | 'token' | 'certificate'>>,
  logger: LoggerService,
  /** Per request; listing 10,000 Resources on a loaded machine needs more than the default. */
  requestTimeoutMs = 5000,
): Promise<DefaultKratixClusterService> {
  const service = await DefaultKratixClusterService.create({
    clusters: Object.entries(sandboxes).map(([name, sandbox]) =>
      sandboxClusterDetails(sandbox, { name, requestTimeoutMs }),
    ),
    bounds: { allowedNamespaces: ['default'] },
    logger,
    initialBackoffMs: 50,
  });
  service.start();
  return service;
}

/** Drains a collator stream, as the search indexer does. */
export async function collect<T>(stream: AsyncIterable<unknown>): Promise<T[]> {
  const docs: T[] = [];
  for await (const doc of stream) docs.push(doc as T);
  return docs;
}
