/*
 * The manage actions on the real backend: re-run, pause, resume, update the spec, delete — each
 * decided on the entity, audited, shown on the timeline, and leaving the Resource untouched when
 * refused.
 */
import { startSandbox, type Sandbox } from '@kratix-backstage/sandbox';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import request from 'supertest';
import {
  eventually,
  startKratixTestBackend,
  type KratixTestBackend,
} from './__testUtils__/testBackend';

jest.setTimeout(120_000);

const REDIS = { group: 'marketplace.kratix.io', plural: 'redis' };
const CHECKOUT = '/api/kratix/entities/component/default/checkout-service';
/** Refused reads, missing and unlinked Resources all answer this (nothing to learn from the difference). */
const UNREADABLE =
  /links no Resource .* that the platform confirms and you may read$/;
const SESSION = '/api/kratix/entities/component/default/session-cache';
const PLATFORM = '/api/kratix/entities/component/default/ci-platform';
const DISPOSABLE = '/api/kratix/entities/component/default/disposable';
/** An entity of the guest's team that links a Resource the test creates, then deletes. */
const DISPOSABLE_ENTITY = `apiVersion: backstage.io/v1alpha1
kind: Component
metadata:
  name: disposable
  annotations:
    kratix.backstage.io/resources: redis/default/disposable-cache
spec:
  type: service
  lifecycle: experimental
  owner: team-checkout
`;
const BOT_TOKEN = 'manage-test-bot-token';

describe('Managing Resources', () => {
  let sandbox: Sandbox;
  let backend: KratixTestBackend;
  let server: KratixTestBackend['server'];
  let guest: string;
  let bob: string;

  let dir: string;

  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'kratix-manage-'));
    writeFileSync(path.join(dir, 'disposable.yaml'), DISPOSABLE_ENTITY);
    sandbox = await startSandbox({ stepDelayMs: 20 });
    await sandbox.ready;
    backend = await startKratixTestBackend({
      cluster: sandbox,
      extraLocations: [path.join(dir, 'disposable.yaml')],
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
      },
    });
    server = backend.server;
    [guest, bob] = await Promise.all(
      ['guest', 'bob'].map(user => backend.auth(user)),
    );
  });

  afterAll(async () => {
    await backend?.stop();
    await sandbox?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const stored = (name: string) => sandbox.store.get(REDIS, 'default', name);
  /** The Resource once its workflow has run for its current generation and nothing is pending. */
  const settled = (name: string) =>
    eventually(async () => {
      const object = stored(name);
      const conditions: any[] = (object?.status as any)?.conditions ?? [];
      const reconciled = conditions.find(c => c.type === 'Reconciled');
      const labels = object?.metadata.labels ?? {};
      return reconciled?.status === 'True' &&
        (object?.status as any)?.observedGeneration ===
          object?.metadata.generation &&
        !('kratix.io/manual-reconciliation' in labels)
        ? object!
        : undefined;
    }, `${name} to settle`);
  const act = (
    method: 'post' | 'patch' | 'delete',
    route: string,
    auth: string,
    body?: object,
  ) => {
    const req = request(server)[method](route).set('Authorization', auth);
    return body ? req.send(body) : req;
  };
  const auditOf = (eventId: string) =>
    backend.logs.filter(
      e => e.meta.isAuditEvent === true && e.message === `kratix.${eventId}`,
    );

  it('re-runs the workflow for an owner, and shows it on the timeline', async () => {
    const before = stored('example')!;
    const res = await act(
      'post',
      `${CHECKOUT}/resources/sandbox/default/redis/example/reconcile`,
      guest,
    );
    expect(res.status).toBe(202);
    expect(res.body.action).toBe('reconcile');
    expect(res.body.object.metadata.labels).toMatchObject({
      'kratix.io/manual-reconciliation': 'true',
    });
    // Kratix runs the workflow again and removes the label.
    await eventually(async () => {
      const now = stored('example')!;
      const labels = now.metadata.labels ?? {};
      return now.metadata.resourceVersion !== before.metadata.resourceVersion &&
        !('kratix.io/manual-reconciliation' in labels)
        ? true
        : undefined;
    }, 'the re-run to finish');
    const details = await request(server)
      .get(`${CHECKOUT}/resources/sandbox/default/redis/example`)
      .set('Authorization', guest);
    expect(details.status).toBe(200);
    expect(details.body.timeline).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          source: 'action',
          title: 'Re-run requested',
          status: 'user:default/guest',
        }),
      ]),
    );
    expect(auditOf('resource-reconcile').map(e => e.meta.status)).toEqual([
      'initiated',
      'succeeded',
    ]);
  });

  it('pauses and resumes', async () => {
    const base = `${SESSION}/resources/sandbox/default/redis/paused-cache`;
    const resumed = await act('post', `${base}/resume`, guest);
    expect(resumed.status).toBe(202);
    expect(stored('paused-cache')!.metadata.labels?.['kratix.io/paused']).toBe(
      undefined,
    );
    const paused = await act('post', `${base}/pause`, guest);
    expect(paused.status).toBe(202);
    expect(stored('paused-cache')!.metadata.labels?.['kratix.io/paused']).toBe(
      'true',
    );
  });

  it('updates the spec against the schema, with optimistic concurrency', async () => {
    const base = `${CHECKOUT}/resources/sandbox/default/redis/example`;
    // Start from a settled Resource: every status write bumps the resourceVersion.
    const current = await settled('example');
    const version = current.metadata.resourceVersion!;

    const invalid = await act('patch', base, guest, {
      spec: { size: 'enormous' },
      resourceVersion: version,
    });
    expect(invalid.status).toBe(400);
    expect(invalid.body.error.message).toMatch(/^spec\.size: /);
    const missing = await act('patch', base, guest, {
      spec: { size: 'large' },
    });
    expect(missing.status).toBe(400);
    expect(missing.body.error.message).toMatch(/^resourceVersion: /);
    expect(stored('example')!.spec).toEqual(current.spec);

    const updated = await act('patch', base, guest, {
      spec: { size: 'large' },
      resourceVersion: version,
    });
    expect(updated.status).toBe(200);
    expect(updated.body.object.spec).toEqual({ size: 'large' });
    expect(stored('example')!.spec).toEqual({ size: 'large' });

    const stale = await act('patch', base, guest, {
      spec: { size: 'small' },
      resourceVersion: version,
    });
    expect(stale.status).toBe(409);
    expect(stale.body.error.message).toMatch(/changed since resourceVersion/);
    expect(stored('example')!.spec).toEqual({ size: 'large' });
  });

  it('refuses users who do not own the entity, other entities’ Resources, bots and unknown actions — changing nothing', async () => {
    const version = stored('example')!.metadata.resourceVersion;
    // What a refused action could have changed (status keeps moving: an earlier test's update
    // is still running its workflow).
    const userFacing = () => {
      const { metadata, spec } = stored('example')!;
      return {
        generation: metadata.generation,
        labels: metadata.labels,
        annotations: metadata.annotations,
        spec,
      };
    };
    const before = userFacing();
    const base = `${CHECKOUT}/resources/sandbox/default/redis/example`;
    const refusals: Array<[Promise<request.Response>, number, RegExp]> = [
      [act('post', `${base}/reconcile`, bob), 404, UNREADABLE],
      [act('delete', base, bob), 404, UNREADABLE],
      [
        act('patch', base, bob, {
          spec: { size: 'small' },
          resourceVersion: version,
        }),
        404,
        UNREADABLE,
      ],
      [
        act('post', `${base}/reconcile`, `Bearer ${BOT_TOKEN}`),
        403,
        /service principals may only read/,
      ],
      [act('post', `${base}/explode`, guest), 400, /^action: unknown action/],
      // The guest reaches jenkins only through an entity it does not own.
      [
        act(
          'post',
          `${PLATFORM}/resources/sandbox/default/jenkins/example/reconcile`,
          guest,
        ),
        404,
        UNREADABLE,
      ],
      // A Resource the entity does not link to answers exactly like one the caller may not read.
      [
        act(
          'delete',
          `${CHECKOUT}/resources/sandbox/default/redis/paused-cache`,
          guest,
        ),
        404,
        UNREADABLE,
      ],
    ];
    for (const [response, status, message] of refusals) {
      const res = await response;
      expect({ status: res.status, message: res.body.error?.message }).toEqual({
        status,
        message: expect.stringMatching(message),
      });
    }
    expect(userFacing()).toEqual(before);
    expect(stored('paused-cache')).toBeDefined();
    expect(
      auditOf('resource-delete').filter(e => e.meta.status === 'failed').length,
    ).toBe(2);
  });

  it('deletes a Resource for an owner: deleting while Kratix runs the delete workflow, then gone', async () => {
    const created = await request(server)
      .post('/api/kratix/resources')
      .set('Authorization', guest)
      .send({
        promise: 'redis',
        namespace: 'default',
        name: 'disposable-cache',
        spec: { size: 'small' },
        entityRef: 'component:default/disposable',
      });
    expect(created.status).toBe(201);
    await settled('disposable-cache');
    // An entity that does not link it cannot delete it.
    const unlinked = await act(
      'delete',
      `${CHECKOUT}/resources/sandbox/default/redis/disposable-cache`,
      guest,
    );
    expect(unlinked.status).toBe(404);
    expect(stored('disposable-cache')).toBeDefined();

    const deleted = await act(
      'delete',
      `${DISPOSABLE}/resources/sandbox/default/redis/disposable-cache`,
      guest,
    );
    expect(deleted.status).toBe(202);
    expect(deleted.body.action).toBe('delete');
    await eventually(
      async () => (stored('disposable-cache') ? undefined : true),
      'the Resource to go',
    );
    expect(auditOf('resource-delete').map(e => e.meta.status)).toContain(
      'succeeded',
    );
  });
});
