/*
 * Editing a Resource's spec runs as the user too (issue 26): on the real backend against a sandbox
 * that enforces the seed's RBAC, reached with `auth.type: impersonate` and a token for the seed's
 * `kratix-backstage` user (read, review and impersonate only). The route (PATCH, the spec edit)
 * replaces the Resource at the cluster (a PUT, Kubernetes' `update` verb) as the user and groups.
 *
 * Backstage's policy lets both members of team-storefront change its `storefront`'s Resources; the
 * platform lets Sofia's team-checkout update redis and Sam's team-sre only read them.
 */
import type { Sandbox } from '@kratix-backstage/sandbox';
import request from 'supertest';
import {
  rbacCluster,
  REFUSED,
  startRbacSandbox,
  STOREFRONT_TEAM_LOCATION,
  waitForStorefrontTeam,
} from './__testUtils__/clusterIdentity';
import {
  eventually,
  startKratixTestBackend,
  type KratixTestBackend,
} from './__testUtils__/testBackend';

jest.setTimeout(120_000);

const BACKSTAGE_TOKEN = 'cluster-identity-update-backstage';
const REDIS = { group: 'marketplace.kratix.io', plural: 'redis' };
const STOREFRONT = '/api/kratix/entities/component/default/storefront';
const CACHE = `${STOREFRONT}/resources/sandbox/default/redis/storefront-cache`;

describe('Cluster identity: spec updates as the user', () => {
  let sandbox: Sandbox;
  let backend: KratixTestBackend;
  let server: KratixTestBackend['server'];
  let sofia: string;
  let sam: string;

  beforeAll(async () => {
    sandbox = await startRbacSandbox(BACKSTAGE_TOKEN);
    backend = await startKratixTestBackend({
      cluster: rbacCluster(sandbox, BACKSTAGE_TOKEN),
      extraLocations: [STOREFRONT_TEAM_LOCATION],
    });
    server = backend.server;
    await waitForStorefrontTeam(backend);
    [sofia, sam] = await Promise.all(
      ['sofia', 'sam'].map(user => backend.auth(user)),
    );

    // Sofia's team may create it; both see it once the watch has it.
    const created = await request(server)
      .post('/api/kratix/resources')
      .set('Authorization', sofia)
      .send({
        promise: 'redis',
        namespace: 'default',
        name: 'storefront-cache',
        spec: { size: 'small' },
        entityRef: 'component:default/storefront',
      });
    if (created.status !== 201) {
      throw new Error(`The create failed: ${JSON.stringify(created.body)}`);
    }
    const readers = [sofia, sam];
    await eventually(async () => {
      const reads = await Promise.all(
        readers.map(auth =>
          request(server).get(CACHE).set('Authorization', auth),
        ),
      );
      return reads.every(r => r.status === 200) ? true : undefined;
    }, 'the new Resource to show to both');
  });

  afterAll(async () => {
    await backend?.stop();
    await sandbox?.close();
  });

  const stored = () => sandbox.store.get(REDIS, 'default', 'storefront-cache');
  /** The Resource once its workflow has run for its current generation (status writes stop). */
  const settled = () =>
    eventually(async () => {
      const object = stored();
      const conditions: Array<{ type: string; status: string }> =
        (object?.status as any)?.conditions ?? [];
      const reconciled = conditions.find(c => c.type === 'Reconciled');
      return reconciled?.status === 'True' &&
        (object?.status as any)?.observedGeneration ===
          object?.metadata.generation
        ? object!
        : undefined;
    }, 'storefront-cache to settle');
  const updatesBy = (user: string) =>
    sandbox.requestLog.entries(
      r =>
        r.verb === 'update' &&
        r.resource === 'redis' &&
        r.name === 'storefront-cache' &&
        r.user === user,
    );
  const update = (auth: string, spec: object, resourceVersion: string) =>
    request(server)
      .patch(CACHE)
      .set('Authorization', auth)
      .send({ spec, resourceVersion });
  const actionTitles = async () => {
    const details = await request(server)
      .get(CACHE)
      .set('Authorization', sofia);
    expect(details.status).toBe(200);
    return (details.body.timeline as Array<{ source: string; title: string }>)
      .filter(e => e.source === 'action')
      .map(e => e.title);
  };

  it('answers an update the policy allows and the cluster refuses with 403 naming the platform, and leaves the spec as it was', async () => {
    const before = await settled();
    const res = await update(
      sam,
      { size: 'large' },
      before.metadata.resourceVersion!,
    );
    expect(res.status).toBe(403);
    expect(res.body.error.name).toBe('NotAllowedError');
    expect(res.body.error.message).toMatch(REFUSED);
    expect(res.body.error.message).toMatch(
      /User "sam" cannot update resource "redis"/,
    );
    // Read from the cluster: the spec and its generation did not move.
    const after = stored()!;
    expect(after.spec).toEqual({ size: 'small' });
    expect(after.metadata.generation).toBe(before.metadata.generation);
    expect(updatesBy('sam')).toEqual([
      expect.objectContaining({
        allowed: false,
        groups: expect.arrayContaining(['backstage:team-sre']),
        impersonator: expect.objectContaining({ user: 'kratix-backstage' }),
      }),
    ]);
    // Refused, so not on the Resource's timeline.
    expect(await actionTitles()).toEqual([]);
  });

  it('updates as the user whose team the cluster lets update', async () => {
    const before = await settled();
    const res = await update(
      sofia,
      { size: 'large' },
      before.metadata.resourceVersion!,
    );
    expect(res.status).toBe(200);
    expect(res.body.object.spec).toEqual({ size: 'large' });
    expect(stored()!.spec).toEqual({ size: 'large' });
    expect(updatesBy('sofia')).toEqual([
      expect.objectContaining({
        allowed: true,
        method: 'PUT',
        groups: expect.arrayContaining([
          'backstage:team-storefront',
          'backstage:team-checkout',
        ]),
        impersonator: expect.objectContaining({ user: 'kratix-backstage' }),
      }),
    ]);
    expect(await actionTitles()).toEqual(['Spec updated']);
  });
});
