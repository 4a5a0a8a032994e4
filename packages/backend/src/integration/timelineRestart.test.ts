/*
 * The timeline outlives the backend: condition transitions seen by one backend process are read by
 * the next one from the plugin's database (SQLite files in a directory, as a single-node deployment
 * would keep them), including transitions the cluster itself no longer shows.
 */
import { startSandbox, type Sandbox } from '@kratix-backstage/sandbox';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import request from 'supertest';
import {
  eventually,
  startKratixTestBackend,
  type KratixTestBackend,
} from './__testUtils__/testBackend';

jest.setTimeout(150_000);

const ELASTIC = { group: 'workshop.kratix.io', plural: 'elastic-clouds' };
const TIMELINE =
  '/api/kratix/entities/component/default/search-service/resources/sandbox/default/elastic-cloud/example';

type Entry = {
  source: string;
  title: string;
  status?: string;
  reason?: string;
  time: string;
};
const conditionEntries = (timeline: Entry[]) =>
  timeline
    .filter(e => e.source === 'condition')
    .map(e => `${e.time} ${e.title}=${e.status} (${e.reason ?? ''})`);

describe('the timeline across a backend restart', () => {
  let sandbox: Sandbox;
  let directory: string;

  beforeAll(async () => {
    directory = fs.mkdtempSync(path.join(os.tmpdir(), 'kratix-timeline-'));
    sandbox = await startSandbox({ stepDelayMs: 300 });
    await sandbox.ready;
  });

  afterAll(async () => {
    await sandbox?.close();
    fs.rmSync(directory, { recursive: true, force: true });
  });

  const start = () =>
    startKratixTestBackend({
      cluster: sandbox,
      database: { client: 'better-sqlite3', connection: { directory } },
    });

  const timelineOf = async (backend: KratixTestBackend) => {
    const res = await request(backend.server)
      .get(TIMELINE)
      .set('Authorization', await backend.auth('guest'));
    expect(res.status).toBe(200);
    return res.body as { timeline: Entry[]; object: any };
  };

  it('shows the transitions the previous backend recorded', async () => {
    const first = await start();
    const uid = sandbox.store.get(ELASTIC, 'default', 'example')!.metadata.uid;
    const completedAt = () =>
      (
        sandbox.store.get(ELASTIC, 'default', 'example')!.status as any
      )?.conditions?.find(
        (c: any) => c.type === 'PipelineCompleted' && c.status === 'True',
      )?.lastTransitionTime as string | undefined;
    const before = await eventually(
      async () => completedAt(),
      'the seeded workflow to complete',
    );

    // While the first backend watches, the Resource's workflow runs again (Kratix's manual
    // reconciliation label): PipelineCompleted goes False, then True with a new time.
    await new Promise(r => setTimeout(r, 1100)); // conditions have a one-second resolution
    sandbox.store.patch(ELASTIC, 'default', 'example', 'merge', {
      metadata: { labels: { 'kratix.io/manual-reconciliation': 'true' } },
    });
    await eventually(async () => {
      const after = completedAt();
      return after && after > before ? after : undefined;
    }, 'the second run to complete');
    const recorded = await eventually(async () => {
      const rows = await first
        .kratixDatabase('kratix_condition_transitions')
        .where({ resource_uid: uid, condition_type: 'PipelineCompleted' });
      const statuses = rows.map((r: any) => r.status);
      return rows.length >= 3 && statuses.includes('False') ? rows : undefined;
    }, 'the transitions of the second run to be recorded');
    expect(recorded.length).toBeGreaterThanOrEqual(3);

    const seenByFirst = conditionEntries((await timelineOf(first)).timeline);
    await first.stop();

    const second = await start();
    const { timeline, object } = await timelineOf(second);
    const seenBySecond = conditionEntries(timeline);
    expect(seenBySecond).toEqual(seenByFirst);
    // More than the cluster keeps: it only has the latest transition of each condition.
    expect(seenBySecond.length).toBeGreaterThan(
      object.status.conditions.length,
    );
    expect(seenBySecond).toContainEqual(
      expect.stringMatching(/ PipelineCompleted=False /),
    );
    expect(
      seenBySecond.filter(e => / PipelineCompleted=True /.test(e)),
    ).toHaveLength(2);
  });
});
