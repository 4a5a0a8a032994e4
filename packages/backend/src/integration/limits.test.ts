/*
 * Issue 20, Low 7 (dry runs), Low 9 (timeline, manage actions) and Low 10, each attack as the
 * red team ran it against the real backend and the sandbox, refused with nothing changed:
 *  - 10 parallel DELETEs of one Resource: one 202, the rest 404 or 409, never a 500;
 *  - a spec nested 3,000 levels deep, on create and on update: a 400 naming the field, nothing
 *    created or changed, the sandbox still serving;
 *  - the 151st manage action within the window: 429, and the Resource and its history unchanged;
 *  - 150 actions leave a bounded history, and the timeline comes in pages;
 *  - the 61st dry run within a minute: 429, whether or not the name is taken;
 *  - a static token reading a Resource linked to no entity: 404, as for a missing one.
 */
import { startSandbox, type Sandbox } from '@kratix-backstage/sandbox';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import https from 'node:https';
import { tmpdir } from 'node:os';
import path from 'node:path';
import request from 'supertest';
import {
  eventually,
  startKratixTestBackend,
  type KratixTestBackend,
} from './__testUtils__/testBackend';

jest.setTimeout(180_000);

const REDIS = { group: 'marketplace.kratix.io', plural: 'redis' };
const ENTITY = '/api/kratix/entities/component/default/limits-service';
const resourceRoute = (name: string) =>
  `${ENTITY}/resources/sandbox/default/redis/${name}`;
/** An entity of the guest's team (team-checkout) that claims the Resources the test creates. */
const LIMITS_ENTITY = `apiVersion: backstage.io/v1alpha1
kind: Component
metadata:
  name: limits-service
  annotations:
    kratix.backstage.io/resources: redis/default/limits-delete, redis/default/limits-delete-fast, redis/default/limits-deep, redis/default/limits-busy
spec:
  type: service
  lifecycle: experimental
  owner: team-checkout
`;
const BOT_TOKEN = 'limits-test-bot-token';
/** Kept per Resource in this backend: fewer than the 150 actions the test takes. */
const MAX_ENTRIES = 100;

/** `{deep: {deep: … {}}}`, `levels` objects deep. */
function nested(levels: number): Record<string, unknown> {
  let value: Record<string, unknown> = {};
  for (let i = 1; i < levels; i++) value = { deep: value };
  return value;
}

describe('Limits: parallel deletes, deep specs, rate limits, timeline pages, static tokens', () => {
  let sandbox: Sandbox;
  let backend: KratixTestBackend;
  let server: KratixTestBackend['server'];
  let guest: string;
  let alice: string;
  let dir: string;

  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'kratix-limits-'));
    writeFileSync(path.join(dir, 'limits.yaml'), LIMITS_ENTITY);
    sandbox = await startSandbox({ stepDelayMs: 20 });
    await sandbox.ready;
    backend = await startKratixTestBackend({
      cluster: sandbox,
      extraLocations: [path.join(dir, 'limits.yaml')],
      extraConfig: {
        backend: {
          auth: {
            externalAccess: [
              {
                type: 'static',
                options: { token: BOT_TOKEN, subject: 'ci-bot' },
              },
            ],
          },
        },
        kratix: { history: { maxEntriesPerResource: MAX_ENTRIES } },
      },
    });
    server = backend.server;
    [guest, alice] = await Promise.all(
      ['guest', 'alice'].map(user => backend.auth(user)),
    );
  });

  afterAll(async () => {
    await backend?.stop();
    await sandbox?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const stored = (name: string) => sandbox.store.get(REDIS, 'default', name);
  const create = (auth: string, body: object) =>
    request(server)
      .post('/api/kratix/resources')
      .set('Authorization', auth)
      .send({ promise: 'redis', namespace: 'default', ...body });
  const createForEntity = async (name: string) => {
    const res = await create(guest, {
      name,
      spec: { size: 'small' },
      entityRef: 'component:default/limits-service',
    });
    expect(res.status).toBe(201);
    // Readable through the entity once the watch has it.
    return eventually(async () => {
      const details = await request(server)
        .get(resourceRoute(name))
        .set('Authorization', guest);
      return details.status === 200 ? details.body : undefined;
    }, `${name} to be readable`);
  };

  const parallelDeletes = async (name: string) => {
    const answers = await Promise.all(
      Array.from({ length: 10 }, () =>
        request(server).delete(resourceRoute(name)).set('Authorization', guest),
      ),
    );
    const statuses = answers.map(a => a.status);
    // Any other answer is shown with its body, so a failure says what came back.
    expect(
      answers
        .filter(a => ![202, 404, 409].includes(a.status))
        .map(a => ({ status: a.status, error: a.body.error })),
    ).toEqual([]);
    expect(statuses.filter(s => s === 202)).toHaveLength(1);
    for (const refused of answers.filter(a => a.status === 409)) {
      expect(refused.body.error.message).toMatch(
        /is already being deleted|changed while it was being deleted/,
      );
    }
    return statuses;
  };

  it('answers 10 parallel DELETEs of one Resource with one 202 and the rest 404 or 409, never a 500', async () => {
    // Held by a finalizer of the test's own, so it stays "deleting" while the others arrive.
    await createForEntity('limits-delete');
    const hold = 'limits.test/hold';
    const current = stored('limits-delete')!;
    sandbox.store.patch(REDIS, 'default', 'limits-delete', 'merge', {
      metadata: { finalizers: [...(current.metadata.finalizers ?? []), hold] },
    });
    const held = await parallelDeletes('limits-delete');
    expect(held.filter(s => s === 409).length).toBeGreaterThan(0);
    expect(stored('limits-delete')!.metadata.deletionTimestamp).toBeDefined();
    // Again while it is still deleting: every one is a 409, none deletes anything.
    const again = await Promise.all(
      Array.from({ length: 5 }, () =>
        request(server)
          .delete(resourceRoute('limits-delete'))
          .set('Authorization', guest),
      ),
    );
    expect(again.map(a => a.status)).toEqual([409, 409, 409, 409, 409]);

    // Let it go; once gone, deletes are 404s.
    await eventually(async () => {
      const object = stored('limits-delete');
      const others = (object?.metadata.finalizers ?? []).filter(
        f => f !== hold,
      );
      return object && others.length === 0 ? object : undefined;
    }, 'Kratix to finish its delete workflow');
    sandbox.store.patch(REDIS, 'default', 'limits-delete', 'merge', {
      metadata: { finalizers: null },
    });
    await eventually(
      async () => (stored('limits-delete') ? undefined : true),
      'limits-delete to go',
    );
    const gone = await request(server)
      .delete(resourceRoute('limits-delete'))
      .set('Authorization', guest);
    expect(gone.status).toBe(404);

    // And as the red team ran it, with Kratix deleting as fast as it can.
    await createForEntity('limits-delete-fast');
    await parallelDeletes('limits-delete-fast');
    await eventually(
      async () => (stored('limits-delete-fast') ? undefined : true),
      'limits-delete-fast to go',
    );
  });

  it('refuses a spec nested 3,000 levels deep with a 400 naming the field, on create and on update, changing nothing', async () => {
    const deep = { size: 'small', config: nested(3000) };
    const created = await create(guest, {
      name: 'limits-deep-new',
      spec: deep,
      entityRef: 'component:default/limits-service',
    });
    expect(created.status).toBe(400);
    expect(created.body.error.message).toMatch(
      /^spec\.config\.deep\.deep[.a-z]*…?: nested more than 32 levels deep/,
    );
    expect(stored('limits-deep-new')).toBeUndefined();

    const details = await createForEntity('limits-deep');
    const before = stored('limits-deep')!;
    const updated = await request(server)
      .patch(resourceRoute('limits-deep'))
      .set('Authorization', guest)
      .send({
        spec: deep,
        resourceVersion: details.object.metadata.resourceVersion,
      });
    expect(updated.status).toBe(400);
    expect(updated.body.error.message).toMatch(/^spec\.config\.deep/);
    expect(stored('limits-deep')!.spec).toEqual(before.spec);
    expect(stored('limits-deep')!.metadata.generation).toBe(
      before.metadata.generation,
    );

    // The sandbox still serves, directly and through the plugin.
    expect(
      await sandboxGet(
        sandbox,
        '/apis/marketplace.kratix.io/v1alpha1/namespaces/default/redis/limits-deep',
      ),
    ).toBe(200);
    const promises = await request(server)
      .get('/api/kratix/promises')
      .set('Authorization', guest);
    expect(promises.status).toBe(200);
    expect(promises.body.errors).toEqual([]);
  });

  it('refuses the 151st manage action within the window with 429, changing nothing; 150 actions leave a bounded history, paged', async () => {
    await createForEntity('limits-busy');
    // Its workflow done, so the timeline grows by the actions alone.
    await eventually(async () => {
      const object = stored('limits-busy');
      const conditions: any[] = (object?.status as any)?.conditions ?? [];
      return conditions.some(
        c => c.type === 'Reconciled' && c.status === 'True',
      )
        ? true
        : undefined;
    }, 'limits-busy to settle');
    const first = await request(server)
      .get(resourceRoute('limits-busy'))
      .set('Authorization', alice);
    expect(first.status).toBe(200);
    const totalBefore: number = first.body.timelineTotal;

    // alice (the platform team) may manage every Resource: 150 pauses, each one allowed.
    for (let i = 0; i < 150; i++) {
      const res = await request(server)
        .post(`${resourceRoute('limits-busy')}/pause`)
        .set('Authorization', alice);
      expect(res.status).toBe(202);
    }
    const actionsTable = () =>
      backend
        .kratixDatabase('kratix_resource_actions')
        .where({ name: 'limits-busy' })
        .count({ n: '*' })
        .then(rows => Number(rows[0].n));
    // The history kept only the newest MAX_ENTRIES of them.
    expect(await actionsTable()).toBe(MAX_ENTRIES);

    const refused = await request(server)
      .post(`${resourceRoute('limits-busy')}/resume`)
      .set('Authorization', alice);
    expect(refused.status).toBe(429);
    expect(refused.body.error.name).toBe('TooManyRequestsError');
    expect(refused.body.error.message).toMatch(
      /at most 150 in 3600 seconds per user/,
    );
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
    // Nothing changed: still paused, no action recorded.
    expect(stored('limits-busy')!.metadata.labels).toMatchObject({
      'kratix.io/paused': 'true',
    });
    expect(await actionsTable()).toBe(MAX_ENTRIES);

    // The timeline: the newest page without asking, then older pages, each entry once.
    const details = await request(server)
      .get(resourceRoute('limits-busy'))
      .set('Authorization', guest);
    expect(details.status).toBe(200);
    const total: number = details.body.timelineTotal;
    // 150 actions, of which the history keeps MAX_ENTRIES (the red team saw 54 grow to 246); the
    // few others are the workflow's own progress meanwhile.
    expect(total - totalBefore).toBeLessThanOrEqual(MAX_ENTRIES + 5);
    expect(details.body.timeline).toHaveLength(100);
    expect(details.body.timelineNext).toEqual(expect.any(String));
    const times = details.body.timeline.map((e: { time: string }) => e.time);
    expect([...times].sort()).toEqual(times);

    const seen = [...details.body.timeline];
    let next: string | undefined = details.body.timelineNext;
    let pages = 0;
    while (next) {
      const page = await request(server)
        .get(`${resourceRoute('limits-busy')}/timeline`)
        .query({ before: next, limit: 40 })
        .set('Authorization', guest);
      expect(page.status).toBe(200);
      expect(page.body.entries.length).toBeLessThanOrEqual(40);
      seen.unshift(...page.body.entries);
      next = page.body.next;
      pages += 1;
    }
    expect(pages).toBeGreaterThan(0);
    expect(seen).toHaveLength(total);
    expect(seen[0].title).toBe('Requested');
    expect(
      seen.filter((e: { source: string }) => e.source === 'action'),
    ).toHaveLength(MAX_ENTRIES);

    // The same pages on the Resource's own route; bad paging is a 400 naming the field.
    const own = await request(server)
      .get('/api/kratix/resources/sandbox/default/redis/limits-busy/timeline')
      .query({ limit: 5 })
      .set('Authorization', guest);
    expect(own.status).toBe(200);
    expect(own.body.entries).toHaveLength(5);
    const badLimit = await request(server)
      .get(`${resourceRoute('limits-busy')}/timeline`)
      .query({ limit: 100000 })
      .set('Authorization', guest);
    expect(badLimit.status).toBe(400);
    expect(badLimit.body.error.message).toMatch(/^limit: /);
    const badCursor = await request(server)
      .get(`${resourceRoute('limits-busy')}/timeline`)
      .query({ before: 'forged' })
      .set('Authorization', guest);
    expect(badCursor.status).toBe(400);
    expect(badCursor.body.error.message).toMatch(/^before: /);
    // A caller who may not read the Resource gets no page of it.
    const bob = await request(server)
      .get('/api/kratix/resources/sandbox/default/redis/limits-busy/timeline')
      .set('Authorization', await backend.auth('bob'));
    expect(bob.status).toBe(404);

    // Another user is not limited by alice's actions.
    const other = await request(server)
      .post(`${resourceRoute('limits-busy')}/reconcile`)
      .set('Authorization', guest);
    expect(other.status).toBe(202);
  });

  it('refuses the 61st dry run within a minute with 429, before asking the cluster whether the name is taken', async () => {
    const dryRun = (name: string) =>
      create(guest, {
        name,
        spec: { size: 'small' },
        entityRef: 'component:default/limits-service',
        dryRun: true,
      });
    // A taken name answers 409 to a dry run: inherent to creating a name (documented).
    const taken = await dryRun('limits-busy');
    expect(taken.status).toBe(409);
    for (let i = 1; i < 60; i++) {
      const res = await dryRun(`limits-dry-${i}`);
      expect(res.status).toBe(200);
    }
    const refusedTaken = await dryRun('limits-busy');
    expect(refusedTaken.status).toBe(429);
    expect(refusedTaken.body.error.message).toMatch(/Too many dry runs/);
    const refusedFree = await dryRun('limits-dry-free');
    expect(refusedFree.status).toBe(429);
    expect(stored('limits-dry-free')).toBeUndefined();
    // Real creates are not dry runs: still decided as ever.
    const real = await create(guest, {
      name: 'limits-real',
      spec: { size: 'small' },
      entityRef: 'component:default/limits-service',
    });
    expect(real.status).toBe(201);
  });

  it('lets a static token read linked Resources only, as the README says: one linked to no entity reads as missing', async () => {
    const orphan = await create(alice, {
      name: 'limits-orphan',
      spec: { size: 'small' },
    });
    expect(orphan.status).toBe(201);
    await eventually(async () => {
      const res = await request(server)
        .get('/api/kratix/resources/sandbox/default/redis/limits-orphan')
        .set('Authorization', alice);
      return res.status === 200 ? true : undefined;
    }, 'limits-orphan to be readable by the platform team');

    const bot = `Bearer ${BOT_TOKEN}`;
    const unlinked = await request(server)
      .get('/api/kratix/resources/sandbox/default/redis/limits-orphan')
      .set('Authorization', bot);
    const missing = await request(server)
      .get('/api/kratix/resources/sandbox/default/redis/limits-nowhere')
      .set('Authorization', bot);
    expect(unlinked.status).toBe(404);
    expect(missing.status).toBe(404);
    expect(unlinked.body.error.message.replace('limits-orphan', 'X')).toBe(
      missing.body.error.message.replace('limits-nowhere', 'X'),
    );
    const unlinkedPage = await request(server)
      .get('/api/kratix/resources/sandbox/default/redis/limits-orphan/timeline')
      .set('Authorization', bot);
    expect(unlinkedPage.status).toBe(404);

    const linked = await request(server)
      .get('/api/kratix/resources/sandbox/default/redis/limits-busy')
      .set('Authorization', bot);
    expect(linked.status).toBe(200);
  });
});

/** The status of a GET straight to the sandbox's API server (HTTPS with its own certificate). */
function sandboxGet(sandbox: Sandbox, apiPath: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = https.get(
      `${sandbox.url}${apiPath}`,
      {
        ca: sandbox.certificate,
        headers: { Authorization: `Bearer ${sandbox.token}` },
      },
      res => {
        res.resume();
        resolve(res.statusCode ?? 0);
      },
    );
    req.on('error', reject);
  });
}
