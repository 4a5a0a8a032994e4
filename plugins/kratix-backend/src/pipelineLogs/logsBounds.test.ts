/*
 * The bounds on pipeline log reads: their config (kratix.logs.*, kratix.history.failedLogLines),
 * the bytes per answer, the follow duration and the follows per user, on the logs route with the
 * cluster's follow stood in for (the integration tests in packages/backend read real Pods). Query
 * booleans are read as the Kubernetes API server reads them.
 */
import { mockServices } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import express from 'express';
import Router from 'express-promise-router';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Writable } from 'node:stream';
import request from 'supertest';
import { readJournalSettings } from '../journal/journalConfig';
import type { EntityResources } from '../service/EntityResources';
import type { PipelineLogs } from '../service/PipelineLogs';
import { LOGS_DEFAULTS, readLogSettings } from './logsConfig';
import {
  LogLines,
  logLine,
  parseQueryBool,
  registerLogsRoutes,
} from './logsRoutes';

const config = (data: object) => new ConfigReader(data);

describe('log bounds config', () => {
  it('defaults, and names the key of a bad value', () => {
    expect(readLogSettings(config({}))).toEqual({
      maxBytesPerResponse: LOGS_DEFAULTS.maxBytesPerResponse,
      maxFollowMs: LOGS_DEFAULTS.maxFollowSeconds * 1000,
      maxFollowsPerUser: LOGS_DEFAULTS.maxFollowsPerUser,
    });
    expect(() =>
      readLogSettings(config({ kratix: { logs: { maxFollowsPerUser: 0 } } })),
    ).toThrow(/^kratix\.logs\.maxFollowsPerUser: must be a positive integer/);
    expect(() =>
      readLogSettings(
        config({ kratix: { logs: { maxBytesPerResponse: 1.5 } } }),
      ),
    ).toThrow(/^kratix\.logs\.maxBytesPerResponse/);
  });

  it('kratix.history.failedLogLines: 50 by default, 0 keeps none, bounded', () => {
    expect(readJournalSettings(config({})).failedLogLines).toBe(50);
    expect(
      readJournalSettings(
        config({ kratix: { history: { failedLogLines: 0 } } }),
      ).failedLogLines,
    ).toBe(0);
    for (const bad of [-1, 2.5, 1001]) {
      expect(() =>
        readJournalSettings(
          config({ kratix: { history: { failedLogLines: bad } } }),
        ),
      ).toThrow(
        /^kratix\.history\.failedLogLines must be a whole number from 0/,
      );
    }
  });
});

describe('query booleans and log lines', () => {
  it('reads booleans as Go strconv.ParseBool does', () => {
    for (const yes of ['1', 't', 'T', 'TRUE', 'true', 'True'])
      expect(parseQueryBool('follow', yes)).toBe(true);
    for (const no of ['0', 'f', 'F', 'FALSE', 'false', 'False'])
      expect(parseQueryBool('follow', no)).toBe(false);
    expect(parseQueryBool('follow', undefined)).toBeUndefined();
    expect(() => parseQueryBool('follow', 'yes')).toThrow(
      'follow: "yes" is not a boolean',
    );
  });

  it('splits Kubernetes timestamps off a line', () => {
    expect(
      logLine('reader', '2026-12-07T00:00:01.123456789Z hello world'),
    ).toEqual({
      container: 'reader',
      time: '2026-12-07T00:00:01.123456789Z',
      line: 'hello world',
    });
    expect(logLine('reader', 'no time here')).toEqual({
      container: 'reader',
      line: 'no time here',
    });
  });

  it('LogLines passes whole lines up to the byte bound, then nothing more', async () => {
    const limits: string[] = [];
    const lines = new LogLines('c', false, 10, () => limits.push('limit'));
    const out: string[] = [];
    lines.on('data', chunk => out.push(String(chunk)));
    const ended = new Promise(resolve => lines.on('end', resolve));
    lines.write('abcd\nef');
    lines.write('gh\nijkl\n');
    lines.end('mn');
    await ended;
    expect(out.join('')).toBe('abcd\nefgh\n');
    expect(limits).toEqual(['limit']);
  });
});

describe('the follow bounds on the logs route', () => {
  /** A follow the cluster never ends, unless aborted; the chunks it was given are written first. */
  const endless = (chunks: string[]) => {
    const aborted: string[] = [];
    return {
      aborted,
      followPodLog: async (_cluster: string, req: any, out: Writable) => {
        for (const chunk of chunks) out.write(chunk);
        return {
          done: new Promise<void>(() => {}),
          abort: () => {
            aborted.push(req.container);
            if (!out.writableEnded) out.end();
          },
        };
      },
    };
  };

  const appWith = (
    settings: {
      maxBytesPerResponse: number;
      maxFollowMs: number;
      maxFollowsPerUser: number;
    },
    cluster: ReturnType<typeof endless>,
  ) => {
    const router = Router();
    const audits: string[] = [];
    const audit = {
      success: async () => {
        audits.push('success');
      },
      fail: async () => {
        audits.push('fail');
      },
    };
    registerLogsRoutes(router, {
      reader: {
        decide: async () => ({}),
        visibleEntity: async () => ({}),
        linkedResource: async () => ({ kind: { cluster: 'c1' }, object: {} }),
      } as unknown as EntityResources,
      clusters: cluster as any,
      logs: {
        settings,
        select: async () => ({
          audit,
          pod: 'p',
          run: { job: 'j', namespace: 'default' },
          container: { name: 'main', init: false, state: 'running' },
        }),
        translate: async (_t: unknown, _r: unknown, e: Error) => e,
      } as unknown as PipelineLogs,
      logger: mockServices.logger.mock(),
      caller: () =>
        ({
          principal: { type: 'user', userEntityRef: 'user:default/a' },
        } as any),
    });
    const app = express();
    app.use(router);
    app.use(((error, _req, res, _next) => {
      if (error.retryAfterSeconds)
        res.setHeader('Retry-After', String(error.retryAfterSeconds));
      res.status(error.statusCode ?? 500).json({ message: error.message });
    }) as express.ErrorRequestHandler);
    return { app, audits };
  };
  const PATH =
    '/entities/component/default/a/resources/c1/default/redis/r/logs?follow=true';

  it('ends a follow at the follow duration, and frees its slot', async () => {
    const cluster = endless(['one\n']);
    const { app, audits } = appWith(
      { maxBytesPerResponse: 1024, maxFollowMs: 50, maxFollowsPerUser: 1 },
      cluster,
    );
    const first = await request(app).get(PATH);
    expect(first.status).toBe(200);
    expect(first.text).toBe('one\n');
    expect(cluster.aborted).toEqual(['main']);
    // The slot went with it: the next follow is admitted.
    expect((await request(app).get(PATH)).status).toBe(200);
    expect(audits).toEqual(['success', 'success']);
  });

  it('ends a follow at the bytes per answer', async () => {
    const cluster = endless(['first line\nsecond line\nthird line\n']);
    const { app } = appWith(
      { maxBytesPerResponse: 24, maxFollowMs: 60_000, maxFollowsPerUser: 1 },
      cluster,
    );
    const res = await request(app).get(PATH);
    expect(res.text).toBe('first line\nsecond line\n');
    // The cluster's stream is let go (abort is idempotent, and may be called more than once).
    expect(cluster.aborted).toContain('main');
  });

  it('answers 429 with Retry-After beyond the follows per user', async () => {
    const cluster = endless([]);
    const { app, audits } = appWith(
      { maxBytesPerResponse: 1024, maxFollowMs: 60_000, maxFollowsPerUser: 1 },
      cluster,
    );
    const server = app.listen(0);
    try {
      const { port } = server.address() as AddressInfo;
      // Held open (the cluster never ends it) once its headers are out.
      const held = await new Promise<http.ClientRequest>((resolve, reject) => {
        const req = http.get({ host: '127.0.0.1', port, path: PATH }, res => {
          expect(res.statusCode).toBe(200);
          resolve(req);
        });
        req.on('error', reject);
      });
      const refused = await request(server).get(PATH);
      expect(refused.status).toBe(429);
      expect(refused.headers['retry-after']).toMatch(/^\d+$/);
      expect(refused.body.message).toMatch(/at most 1 per user/);
      expect(audits).toEqual(['success', 'fail']);
      held.on('error', () => {});
      held.destroy();
    } finally {
      server.close();
    }
  });
});
