/*
 * GET …/runs and …/logs under the one-Resource path (docs/http-api.md). The Resource is reached as
 * every one-Resource read reaches it (EntityResources: the entity as the caller, the link confirmed,
 * `kratix.resource.read`); PipelineLogs then decides `kratix.resource.logs.read`.
 *
 * …/logs answers plain text, or JSON lines (one KratixLogLine per line) to `Accept:
 * application/json` or `application/x-ndjson`. With `follow` the lines stream while the container
 * runs and the answer ends when it ends, with the live stream's conventions (no-cache, no-transform,
 * no proxy buffering, headers flushed at once, the caller's slot released on every path): bounded
 * by the bytes per answer, the follow duration and the follows a caller may hold open (429 with
 * Retry-After beyond).
 */
import type {
  BackstageCredentials,
  LoggerService,
} from '@backstage/backend-plugin-api';
import { InputError } from '@backstage/errors';
import type { KratixLogLine } from '@kratix-backstage/plugin-kratix-common';
import type { KratixClusterService } from '@kratix-backstage/plugin-kratix-node';
import type express from 'express';
import { Transform, type TransformCallback } from 'node:stream';
import { StreamLimiter } from '../live/streamLimiter';
import { callerKey } from '../service/callerKey';
import type { EntityResources } from '../service/EntityResources';
import {
  LogsGoneError,
  type LogsTarget,
  type PipelineLogs,
} from '../service/PipelineLogs';

/** What a client is told to wait before opening another follow, when it holds too many. */
export const FOLLOW_RETRY_AFTER_SECONDS = 10;

export interface LogsRoutesOptions {
  reader: EntityResources;
  clusters: KratixClusterService;
  logs: PipelineLogs;
  logger: LoggerService;
  /** The guard's credentials of a request. */
  caller: (res: express.Response) => BackstageCredentials;
}

/** Go's strconv.ParseBool, as the Kubernetes API server reads query booleans. */
export function parseQueryBool(
  name: string,
  value: unknown,
): boolean | undefined {
  if (value === undefined) return undefined;
  if (['1', 't', 'T', 'TRUE', 'true', 'True'].includes(String(value)))
    return true;
  if (['0', 'f', 'F', 'FALSE', 'false', 'False'].includes(String(value)))
    return false;
  throw new InputError(`${name}: "${value}" is not a boolean (true or false)`);
}

function parseQuery(query: Record<string, unknown>) {
  const single = (name: string) => {
    const value = query[name];
    if (value === undefined) return undefined;
    if (typeof value !== 'string' || value === '')
      throw new InputError(`${name}: give it once, not empty`);
    return value;
  };
  const tail = single('tailLines');
  let tailLines: number | undefined;
  if (tail !== undefined) {
    tailLines = Number(tail);
    if (!/^\d+$/.test(tail) || tailLines < 1 || tailLines > 1_000_000) {
      throw new InputError(
        `tailLines: "${tail}" is not a whole number from 1 to 1000000`,
      );
    }
  }
  return {
    run: single('run'),
    container: single('container'),
    tailLines,
    follow: parseQueryBool('follow', single('follow')) ?? false,
  };
}

/** RFC 3339 time and text of a line Kubernetes stamped (`timestamps=true`). */
export function logLine(container: string, stamped: string): KratixLogLine {
  const space = stamped.indexOf(' ');
  const time = space > 0 ? stamped.slice(0, space) : '';
  if (/^\d{4}-\d\d-\d\dT[\d:.]+(Z|[+-]\d\d:\d\d)$/.test(time)) {
    return { container, time, line: stamped.slice(space + 1) };
  }
  return { container, line: stamped };
}

/**
 * Log bytes in, the answer's bytes out: whole lines as they come (JSON lines when `json`), at most
 * `maxBytes`: then the lines end (after what was passed) and `onLimit` is called.
 */
export class LogLines extends Transform {
  private rest = '';
  private sent = 0;
  private full = false;

  constructor(
    private readonly container: string,
    private readonly json: boolean,
    private readonly maxBytes: number,
    private readonly onLimit: () => void,
  ) {
    super();
  }

  _transform(chunk: Buffer, _encoding: string, done: TransformCallback) {
    const text = this.rest + chunk.toString('utf8');
    const lines = text.split('\n');
    this.rest = lines.pop() ?? '';
    for (const line of lines) this.emit_(line);
    done();
  }

  _flush(done: TransformCallback) {
    if (this.rest !== '') this.emit_(this.rest);
    this.rest = '';
    done();
  }

  private emit_(line: string) {
    if (this.full) return;
    const out = this.json
      ? `${JSON.stringify(logLine(this.container, line))}\n`
      : `${line}\n`;
    const bytes = Buffer.byteLength(out);
    if (this.sent + bytes > this.maxBytes) {
      this.full = true;
      // What was passed still goes out; then the lines end.
      this.push(null);
      this.onLimit();
      return;
    }
    this.sent += bytes;
    this.push(out);
  }
}

const RESOURCE_PATH =
  '/entities/:kind/:namespace/:name/resources/:cluster/:resourceNamespace/:promise/:resourceName';

export function registerLogsRoutes(
  router: express.Router,
  options: LogsRoutesOptions,
): void {
  const { reader, logs, logger, caller } = options;
  const follows = new StreamLimiter({
    maxPerCaller: logs.settings.maxFollowsPerUser,
    // Follow bytes are bounded per answer; the socket's own buffer applies.
    maxBufferedBytesPerCaller: Number.MAX_SAFE_INTEGER,
  });

  /** The Resource as the one-Resource read reaches it (404/403 as that read answers). */
  const targetOf = async (
    req: express.Request,
    credentials: BackstageCredentials,
  ): Promise<LogsTarget> => {
    const { params } = req;
    const decided = reader.decide(credentials);
    const entity = await reader.visibleEntity(
      { kind: params.kind, namespace: params.namespace, name: params.name },
      credentials,
      decided,
    );
    const address = {
      cluster: params.cluster,
      namespace: params.resourceNamespace,
      promise: params.promise,
      name: params.resourceName,
    };
    return {
      entity,
      address,
      resolved: await reader.linkedResource(
        entity,
        address,
        credentials,
        decided,
      ),
    };
  };

  router.get(`${RESOURCE_PATH}/runs`, async (req, res) => {
    const credentials = caller(res);
    const target = await targetOf(req, credentials);
    res.setHeader('Cache-Control', 'no-store');
    res.json(await logs.runs(target, { credentials, request: req }));
  });

  router.get(`${RESOURCE_PATH}/logs`, async (req, res) => {
    const credentials = caller(res);
    const query = parseQuery(req.query as Record<string, unknown>);
    const accepted = req.accepts([
      'text/plain',
      'application/x-ndjson',
      'application/json',
    ]);
    const asJson =
      accepted === 'application/x-ndjson' || accepted === 'application/json';
    const target = await targetOf(req, credentials);
    let selection;
    try {
      selection = await logs.select(target, query, {
        credentials,
        request: req,
      });
    } catch (error) {
      if (error instanceof LogsGoneError) {
        // The caller may read logs (decided above): what is kept comes with the 410.
        res.status(410).json({
          error: { name: error.name, message: error.message },
          ...(error.kept ? { kept: error.kept } : {}),
          request: { method: req.method, url: req.originalUrl },
          response: { statusCode: 410 },
        });
        return;
      }
      throw error;
    }
    const { audit, run, container } = selection;
    const headers = {
      'Content-Type': asJson
        ? 'application/x-ndjson; charset=utf-8'
        : 'text/plain; charset=utf-8',
      'X-Kratix-Run': run.job,
      'X-Kratix-Container': container.name,
    };

    if (!query.follow) {
      let result;
      try {
        result = await logs.read(target, selection, {
          tailLines: query.tailLines,
          timestamps: asJson,
        });
      } catch (error) {
        await audit.fail({ error: error as Error });
        throw error;
      }
      await audit.success({ meta: { bytes: Buffer.byteLength(result.text) } });
      const lines =
        result.text === '' ? [] : result.text.replace(/\n$/, '').split('\n');
      res.writeHead(200, {
        ...headers,
        'Cache-Control': 'no-store',
        ...(result.truncated ? { 'X-Kratix-Log-Truncated': 'true' } : {}),
      });
      res.end(
        lines
          .map(line =>
            asJson
              ? `${JSON.stringify(logLine(container.name, line))}\n`
              : `${line}\n`,
          )
          .join(''),
      );
      return;
    }

    const slot = follows.acquire(callerKey(credentials));
    if (!slot) {
      const error = Object.assign(
        new Error(
          `Too many open log follows (at most ${follows.maxPerCaller} per user); close one or try again later`,
        ),
        {
          name: 'TooManyRequestsError',
          statusCode: 429,
          retryAfterSeconds: FOLLOW_RETRY_AFTER_SECONDS,
        },
      );
      await audit.fail({ error });
      throw error;
    }
    // From here every path releases the slot.
    let stream: { abort(): void; done: Promise<void> } | undefined;
    let ended = false;
    /** Set once the follow is open; end() may run before. */
    const timers: { end?: NodeJS.Timeout } = {};
    const end = (why: string) => {
      if (ended) return;
      ended = true;
      clearTimeout(timers.end);
      slot.release();
      stream?.abort();
      if (!res.writableEnded) res.end();
      logger.debug(`Kratix log follow ended: ${why}`, {
        run: run.job,
        container: container.name,
        caller: slot.caller,
      });
    };
    res.on('close', () => end('client-closed'));
    if (res.destroyed || res.writableEnded) {
      end('client-gone-before-open');
      return;
    }
    let limitReached = false;
    const lines = new LogLines(
      container.name,
      asJson,
      logs.settings.maxBytesPerResponse,
      () => {
        // The lines end by themselves (the answer with them); the cluster's stream is let go.
        limitReached = true;
        stream?.abort();
      },
    );
    try {
      stream = await options.clusters.followPodLog(
        target.resolved.kind.cluster,
        {
          namespace: run.namespace,
          pod: selection.pod,
          container: container.name,
          tailLines: query.tailLines,
          limitBytes: logs.settings.maxBytesPerResponse,
          timestamps: asJson,
        },
        lines,
      );
    } catch (error) {
      end('failed-to-open');
      const translated = await logs.translate(target, run, error);
      await audit.fail({ error: translated });
      throw translated;
    }
    await audit.success({ meta: { follow: true } });
    if (ended || limitReached) stream.abort();
    if (ended) return;
    res.writeHead(200, {
      ...headers,
      // As the live stream: no-transform keeps compression middleware from buffering it.
      'Cache-Control': 'no-cache, no-transform',
      Connection: 'keep-alive',
      'X-Accel-Buffering': 'no',
    });
    res.flushHeaders();
    timers.end = setTimeout(
      () => end('max-duration'),
      logs.settings.maxFollowMs,
    );
    // Only now (the headers are out) the lines flow to the client; the answer ends when the log
    // does. Until then the transform holds them.
    lines.on('data', chunk => {
      if (!ended) res.write(chunk);
    });
    lines.on('end', () => end(limitReached ? 'max-bytes' : 'log-ended'));
  });
}
