/*
 * Pipeline logs on the real backend and the sandbox (issue 24): an owner reads why a run failed; a
 * reader without kratix.resource.logs.read (carol, team-sre, who views team-checkout's Resources)
 * sees that the runs exist and gets 403 for their content; the failed container's last lines are
 * kept and served once Kratix collected the Pod; a follow streams a running container and ends
 * when it ends; unknown runs and containers are 404s naming them; open follows per user are
 * bounded (429 with Retry-After). Runs are held open on a FIFO the test releases; every wait is on
 * a store event, the log stream itself, or (for what the backend records) `eventually`.
 */
import {
  DEFAULT_SEED_DIR,
  startSandbox,
  type KubeObject,
  type Sandbox,
} from '@kratix-backstage/sandbox';
import type {
  KratixLogLine,
  KratixWorkflowRun,
  KratixWorkflowRunsResponse,
} from '@kratix-backstage/plugin-kratix-common';
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import request from 'supertest';
import { openLogFollow } from './__testUtils__/logFollow';
import {
  eventually,
  startKratixTestBackend,
  type KratixTestBackend,
} from './__testUtils__/testBackend';

jest.setTimeout(120_000);

const REDIS = { group: 'marketplace.kratix.io', plural: 'redis' };
const POD = { group: '', plural: 'pods' };
const JOB = { group: 'batch', plural: 'jobs' };
const CHECKOUT = '/api/kratix/entities/component/default/checkout-service';
const at = (name: string) =>
  `${CHECKOUT}/resources/sandbox/default/redis/${name}`;
const PIPELINE = 'redis-configure-pipeline';
const FAILURE_LINE = 'simulated failure (sandbox.kratix.io/simulate: fail)';

const containerState = (pod: KubeObject, name: string) => {
  const status = (pod.status ?? {}) as Record<string, any[] | undefined>;
  return [
    ...(status.initContainerStatuses ?? []),
    ...(status.containerStatuses ?? []),
  ].find(c => c.name === name)?.state;
};

describe('pipeline logs', () => {
  let dir: string;
  let fifo: string;
  let sandbox: Sandbox;
  let backend: KratixTestBackend;
  let guest: string;
  let carol: string;
  let failedPod: KubeObject;

  /** The first Pod of the Resource that satisfies `test`, as soon as one does. */
  const untilPod = (name: string, test: (pod: KubeObject) => boolean) =>
    new Promise<KubeObject>(resolve => {
      const matches = (pod: KubeObject) =>
        pod.metadata.labels?.['kratix.io/resource-name'] === name && test(pod);
      // Subscribed first, then the current Pods checked: no change falls in between.
      const unsubscribe = sandbox.store.subscribe(change => {
        if (
          change.type !== 'DELETED' &&
          change.resourceType.plural === 'pods' &&
          matches(change.object)
        ) {
          unsubscribe();
          resolve(change.object);
        }
      });
      const found = sandbox.store
        .list(POD, { namespace: 'default' })
        .items.find(matches);
      if (found) {
        unsubscribe();
        resolve(found);
      }
    });
  /** A redis Resource the platform links to checkout-service (team-checkout: guest's team). */
  const create = (name: string, simulate?: 'fail' | 'slow') =>
    sandbox.store.create(REDIS, {
      apiVersion: 'marketplace.kratix.io/v1alpha1',
      kind: 'redis',
      metadata: {
        name,
        namespace: 'default',
        annotations: {
          'kratix.backstage.io/entity-ref':
            'component:default/checkout-service',
          'kratix.backstage.io/owner': 'team-checkout',
          ...(simulate ? { 'sandbox.kratix.io/simulate': simulate } : {}),
        },
      },
      spec: { size: 'small' },
    });
  const get = (url: string, auth: string) =>
    request(backend.server).get(url).set('Authorization', auth);
  const runsOf = async (name: string, auth: string) => {
    const res = await get(`${at(name)}/runs`, auth);
    expect(res.status).toBe(200);
    return (res.body as KratixWorkflowRunsResponse).runs;
  };
  const auditOf = (user: string) =>
    backend.logs.filter(
      e =>
        e.meta.isAuditEvent === true &&
        e.message === 'kratix.resource-logs-read' &&
        JSON.stringify(e.meta).includes(user),
    );

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'kratix-logs-test-'));
    fifo = join(dir, 'hold');
    await promisify(execFile)('mkfifo', [fifo]);
    // Only the Promises: no seeded Resource runs (or waits on the FIFO) but the test's own.
    sandbox = await startSandbox({
      seed: false,
      loadDirs: [join(DEFAULT_SEED_DIR, 'promises')],
      stepDelayMs: 20,
      pipelineEnv: { KRATIX_SANDBOX_SLOW_PIPELINE_FIFO: fifo },
    });
    await sandbox.ready;
    await sandbox.emulator.idle();
    backend = await startKratixTestBackend({
      cluster: sandbox,
      extraConfig: { kratix: { logs: { maxFollowsPerUser: 1 } } },
    });
    [guest, carol] = await Promise.all([
      backend.auth('guest'),
      backend.auth('carol'),
    ]);
    create('failing', 'fail');
    failedPod = await untilPod(
      'failing',
      pod => (pod.status as any)?.phase === 'Failed',
    );
  });

  afterAll(async () => {
    await backend?.stop();
    await sandbox?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('an owner reads why a run failed: the failing container, its exit code and its log', async () => {
    const job = failedPod.metadata.labels!['job-name'];
    const run = await eventually(async () => {
      const runs = await runsOf('failing', guest);
      return runs.find(r => r.job === job && r.phase === 'Failed');
    }, 'the failed run on …/runs');
    expect(run).toMatchObject({
      pipeline: expect.any(String),
      pod: failedPod.metadata.name,
      failedContainer: PIPELINE,
      logsAllowed: true,
    });
    expect(run.logsHiddenReason).toBeUndefined();
    expect(run.containers.map(c => c.name)).toEqual([
      'reader',
      PIPELINE,
      'work-writer',
      'status-writer',
    ]);
    expect(run.containers.find(c => c.name === PIPELINE)).toMatchObject({
      init: true,
      state: 'terminated',
      exitCode: 1,
      reason: 'Error',
      lastLine: FAILURE_LINE,
    });
    // Never ran: no exit code, no line.
    expect(run.containers.find(c => c.name === 'status-writer')).toMatchObject({
      state: 'waiting',
    });

    // Defaults: the latest run, its failing container.
    const plain = await get(`${at('failing')}/logs`, guest);
    expect(plain.status).toBe(200);
    expect(plain.headers['content-type']).toMatch(/^text\/plain/);
    expect(plain.headers['x-kratix-run']).toBe(job);
    expect(plain.headers['x-kratix-container']).toBe(PIPELINE);
    expect(plain.text).toBe(`${FAILURE_LINE}\n`);

    const json = await get(
      `${at('failing')}/logs?container=reader&tailLines=2`,
      guest,
    )
      .set('Accept', 'application/json')
      .buffer(true)
      .parse((res, done) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', chunk => {
          text += chunk;
        });
        res.on('end', () => done(null, text));
      });
    expect(json.status).toBe(200);
    expect(json.headers['content-type']).toMatch(/^application\/x-ndjson/);
    const lines: KratixLogLine[] = (json.body as string)
      .trimEnd()
      .split('\n')
      .map(line => JSON.parse(line));
    expect(lines).toHaveLength(2);
    for (const line of lines) {
      expect(line).toEqual({
        container: 'reader',
        time: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
        line: expect.any(String),
      });
    }

    const audits = auditOf('user:default/guest');
    expect(audits.length).toBeGreaterThan(0);
    expect(JSON.stringify(audits)).toContain('"failing"');
  });

  it('a reader without kratix.resource.logs.read sees the runs, is told why logs are hidden, and gets 403 with no content', async () => {
    const runs = await runsOf('failing', carol);
    expect(runs.length).toBeGreaterThan(0);
    const run = runs.find(r => r.failedContainer === PIPELINE)!;
    expect(run.logsAllowed).toBe(false);
    expect(run.logsHiddenReason).toMatch(/owners and the platform team/);
    // That logs exist (the containers and how they ended), never their content.
    expect(run.containers.find(c => c.name === PIPELINE)).toMatchObject({
      state: 'terminated',
      exitCode: 1,
    });
    for (const r of runs) {
      expect(r.kept).toBeUndefined();
      for (const c of r.containers) expect(c.lastLine).toBeUndefined();
    }
    expect(JSON.stringify(runs)).not.toContain(FAILURE_LINE);

    for (const query of ['', `?container=${PIPELINE}`, '?follow=true']) {
      const res = await get(`${at('failing')}/logs${query}`, carol);
      expect(res.status).toBe(403);
      expect(res.body.error.message).toMatch(/kratix\.resource\.logs\.read/);
      expect(res.text).not.toContain(FAILURE_LINE);
    }
    expect(
      auditOf('user:default/carol').some(e => e.meta.status === 'failed'),
    ).toBe(true);
  });

  it('404 names an unknown run or container', async () => {
    const run = await get(`${at('failing')}/logs?run=no-such-run`, guest);
    expect(run.status).toBe(404);
    expect(run.body.error.message).toContain('"no-such-run"');
    const container = await get(
      `${at('failing')}/logs?container=no-such-container`,
      guest,
    );
    expect(container.status).toBe(404);
    expect(container.body.error.message).toContain('"no-such-container"');
    expect(container.body.error.message).toContain(PIPELINE);
  });

  it('serves the kept tail once Kratix collected the Pod, and answers 410 for its log', async () => {
    const job = failedPod.metadata.labels!['job-name'];
    // Kept when the backend saw the run fail.
    await eventually(async () => {
      const runs = await runsOf('failing', guest);
      return runs.find(r => r.job === job)?.kept ? true : undefined;
    }, 'the failed container’s tail to be kept');

    const podGone = new Promise<void>(resolve => {
      const unsubscribe = sandbox.store.subscribe(change => {
        if (
          change.type === 'DELETED' &&
          change.resourceType.plural === 'pods' &&
          change.object.metadata.name === failedPod.metadata.name
        ) {
          unsubscribe();
          resolve();
        }
      });
    });
    // As Kratix prunes old runs: the Job goes, its Pod with it.
    sandbox.store.delete(JOB, 'default', job, {
      propagationPolicy: 'Background',
    });
    await podGone;

    const run = await eventually(async () => {
      const runs = await runsOf('failing', guest);
      const found = runs.find(r => r.job === job);
      return found && !found.pod ? found : undefined;
    }, 'the run without its Pod');
    expect(run).toMatchObject<Partial<KratixWorkflowRun>>({
      phase: 'Failed',
      failedContainer: PIPELINE,
      kept: { container: PIPELINE, exitCode: 1, lines: [FAILURE_LINE] },
    });

    const logs = await get(`${at('failing')}/logs?run=${job}`, guest);
    expect(logs.status).toBe(410);
    expect(logs.body.error.message).toMatch(
      new RegExp(
        `Kept: the last 1 lines of the failed container "${PIPELINE}" \\(exit code 1\\)`,
      ),
    );
    expect(logs.body.kept).toEqual({
      container: PIPELINE,
      exitCode: 1,
      lines: [FAILURE_LINE],
    });

    // Still nothing for carol.
    const hidden = (await runsOf('failing', carol)).find(r => r.job === job);
    expect(hidden?.kept).toBeUndefined();
    expect((await get(`${at('failing')}/logs?run=${job}`, carol)).status).toBe(
      403,
    );
  });

  it('follow streams a running container and ends when it ends; more follows than allowed get 429', async () => {
    create('held', 'slow');
    const running = await untilPod(
      'held',
      pod => !!containerState(pod, PIPELINE)?.running,
    );
    const follow = await openLogFollow(
      backend.server,
      `${at('held')}/logs?container=${PIPELINE}&follow=true`,
      guest,
    );
    try {
      expect(follow.status).toBe(200);
      expect(follow.headers['x-kratix-run']).toBe(
        running.metadata.labels!['job-name'],
      );
      expect(follow.headers['cache-control']).toBe('no-cache, no-transform');
      // The first line arrives while the container still runs (the FIFO holds it).
      await follow.until(text =>
        text.includes('simulating a long-running pipeline\n'),
      );

      // kratix.logs.maxFollowsPerUser is 1 here: a second follow is refused, a plain read is not.
      const second = await get(
        `${at('held')}/logs?container=${PIPELINE}&follow=true`,
        guest,
      );
      expect(second.status).toBe(429);
      expect(second.headers['retry-after']).toMatch(/^\d+$/);
      expect(second.body.error.message).toMatch(/at most 1 per user/);
      const plain = await get(
        `${at('held')}/logs?container=${PIPELINE}`,
        guest,
      );
      expect(plain.status).toBe(200);
      expect(plain.text).toContain('simulating a long-running pipeline');

      // The container ends: so does the follow, with what it wrote last.
      await writeFile(fifo, 'go\n');
      await follow.ended;
      expect(follow.text).toBe(
        'simulating a long-running pipeline\nreleased\n',
      );
    } finally {
      follow.close();
    }

    // The slot went with the follow: the next one is admitted (and ends at once: the container ended).
    const again = await openLogFollow(
      backend.server,
      `${at('held')}/logs?container=${PIPELINE}&follow=true`,
      guest,
    );
    expect(again.status).toBe(200);
    await again.ended;
    expect(again.text).toContain('released\n');
  });
});
