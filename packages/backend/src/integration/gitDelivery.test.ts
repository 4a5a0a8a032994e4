/*
 * Requests through Git (issue 27) on the real backend: the sandbox cluster takes requests only as
 * commits to the sandbox's own Git server (smart HTTP, basic auth), which its Flux-like sync applies.
 * A create commits the manifest at the documented path, authored as the user; the tab shows it
 * pending; the sync applies it and the ledger marks it applied; an update and a delete change and
 * remove the file; a second request for a pending name is a 409; bad input commits nothing.
 */
import { startSandbox, type Sandbox } from '@kratix-backstage/sandbox';
import { parse as parseYaml } from 'yaml';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import request from 'supertest';
import {
  eventually,
  startKratixTestBackend,
  type KratixTestBackend,
} from './__testUtils__/testBackend';

jest.setTimeout(180_000);

const run = promisify(execFile);
const CHECKOUT = 'component:default/checkout-service';
const CHECKOUT_ROUTE = '/api/kratix/entities/component/default/checkout-service';
const NAME = 'git-cache';
const FILE = `kratix-requests/sandbox/default/redis/${NAME}.yaml`;
const RESOURCE_ROUTE = `${CHECKOUT_ROUTE}/resources/sandbox/default/redis/${NAME}`;

describe('Requests delivered through Git (gitops)', () => {
  let sandbox: Sandbox;
  let backend: KratixTestBackend;
  let guest: string;

  /** Runs git on the bare repository the sandbox's Git server serves. */
  const git = async (...args: string[]) =>
    (
      await run('git', ['--git-dir', sandbox.git!.repositoryDir, ...args], {
        env: { ...process.env, GIT_CONFIG_NOSYSTEM: '1', HOME: '/nonexistent' },
      })
    ).stdout;
  const head = async () => (await git('rev-parse', 'main')).trim();
  const fileAtHead = async () =>
    git('show', `main:${FILE}`).catch(() => undefined);

  const entity = async (auth: string) =>
    request(backend.server).get(`${CHECKOUT_ROUTE}/resources`).set('Authorization', auth);

  beforeAll(async () => {
    sandbox = await startSandbox({ stepDelayMs: 20, git: { intervalSeconds: 0 } });
    await sandbox.ready;
    const { url, username, token, branch, path } = sandbox.git!;
    const host = new URL(url).host;
    backend = await startKratixTestBackend({
      cluster: sandbox,
      delivery: {
        mode: 'gitops',
        repository: url,
        branch,
        path,
        commitUrlTemplate: '{repository}.git/commit/{sha}',
      },
      extraConfig: {
        // The only place the Git credentials live: Backstage's integrations.
        integrations: {
          gitea: [
            { host, baseUrl: `http://${host}`, username, password: token },
          ],
        },
      },
    });
    guest = await backend.auth('guest');
  });

  afterAll(async () => {
    await backend?.stop();
    await sandbox?.close();
  });

  it('refuses an invalid spec and a denied entity before any commit', async () => {
    const before = await head();
    const invalid = await request(backend.server)
      .post('/api/kratix/resources')
      .set('Authorization', guest)
      .send({
        promise: 'redis',
        namespace: 'default',
        name: 'git-invalid',
        spec: { size: 'enormous' },
        entityRef: CHECKOUT,
      });
    expect(invalid.status).toBe(400);
    expect(invalid.body.error.message).toMatch(/^spec\.size/);
    const denied = await request(backend.server)
      .post('/api/kratix/resources')
      .set('Authorization', await backend.auth('bob'))
      .send({
        promise: 'redis',
        namespace: 'default',
        name: 'git-denied',
        spec: { size: 'small' },
        entityRef: CHECKOUT,
      });
    expect(denied.status).toBe(403);
    // Nothing was committed, and no branch was pushed.
    expect(await head()).toBe(before);
    expect((await git('for-each-ref', '--format=%(refname)', 'refs/heads')).trim()).toBe(
      'refs/heads/main',
    );
  });

  it('commits a create, shows it pending, and follows it until the sync applies it', async () => {
    const created = await request(backend.server)
      .post('/api/kratix/resources')
      .set('Authorization', guest)
      .send({
        promise: 'redis',
        namespace: 'default',
        name: NAME,
        spec: { size: 'small' },
        entityRef: CHECKOUT,
      });
    expect(created.status).toBe(202);
    const pending = created.body.request;
    expect(pending).toMatchObject({
      operation: 'create',
      state: 'pending',
      mode: 'gitops',
      cluster: 'sandbox',
      name: NAME,
      entityRef: CHECKOUT,
      requestedBy: 'user:default/guest',
      repository: sandbox.git!.url,
      branch: 'main',
      path: FILE,
      commitSha: await head(),
    });
    expect(pending.commitUrl).toBe(
      `${sandbox.git!.url}/commit/${pending.commitSha}`,
    );
    expect(pending.message).toMatch(
      new RegExp(`^Committed ${pending.commitSha.slice(0, 7)}`),
    );
    expect(created.body.object.metadata.uid).toBeUndefined();

    // The commit on the Git server: the manifest at the documented path, authored as the user.
    const manifest = parseYaml((await fileAtHead())!);
    expect(manifest).toMatchObject({
      apiVersion: 'marketplace.kratix.io/v1alpha1',
      kind: 'redis',
      metadata: { name: NAME, namespace: 'default' },
      spec: { size: 'small' },
    });
    const entityUid = (
      await request(backend.server)
        .get('/api/catalog/entities/by-name/component/default/checkout-service')
        .set('Authorization', guest)
    ).body.metadata.uid;
    // The same binding annotations as a direct create, plus the request id.
    expect(manifest.metadata.annotations).toEqual({
      'kratix.backstage.io/requested-by': 'user:default/guest',
      'kratix.backstage.io/entity-ref': CHECKOUT,
      'kratix.backstage.io/entity-uid': entityUid,
      'kratix.backstage.io/entity-origin': expect.stringMatching(
        /^file:.*examples\/entities\.yaml$/,
      ),
      'kratix.backstage.io/owner': 'group:default/team-checkout',
      'kratix.backstage.io/request-id': pending.id,
    });
    expect((await git('log', '-1', '--format=%an <%ae>', 'main')).trim()).toBe(
      'guest <guest@users.noreply.backstage>',
    );

    // The commit page the link points at answers (with the Git server's credentials).
    const page = await fetch(pending.commitUrl, {
      headers: {
        authorization: `Basic ${Buffer.from(
          `${sandbox.git!.username}:${sandbox.git!.token}`,
        ).toString('base64')}`,
      },
    });
    expect(page.status).toBe(200);
    expect(await page.text()).toContain(pending.commitSha);

    // The tab: pending for the requester (an owner too); nothing for someone who is neither.
    const asGuest = await entity(guest);
    expect(asGuest.status).toBe(200);
    expect(asGuest.body.requests).toEqual([
      expect.objectContaining({ id: pending.id, state: 'pending' }),
    ]);
    expect(asGuest.body.items.map((i: { name: string }) => i.name)).not.toContain(NAME);
    const asBob = await entity(await backend.auth('bob'));
    expect(asBob.body.requests).toBeUndefined();

    // A second request for the same name while the first is pending: 409 naming it to its requester.
    const again = await request(backend.server)
      .post('/api/kratix/resources')
      .set('Authorization', guest)
      .send({
        promise: 'redis',
        namespace: 'default',
        name: NAME,
        spec: { size: 'large' },
        entityRef: CHECKOUT,
      });
    expect(again.status).toBe(409);
    expect(again.body.error.message).toContain(pending.id);
    expect(again.body.error.message).toContain(pending.commitUrl);
    expect(await head()).toBe(pending.commitSha);

    // The platform syncs: the Resource appears with the request id, the ledger says applied.
    const sync = await sandbox.git!.sync();
    expect(sync.errors).toEqual([]);
    expect(sync.changes).toContainEqual(
      expect.objectContaining({ name: NAME, action: 'created' }),
    );
    const live = await eventually(async () => {
      const res = await entity(guest);
      const item = res.body.items.find((i: { name: string }) => i.name === NAME);
      return item && res.body.requests === undefined ? item : undefined;
    }, 'the applied request to turn into the live Resource');
    expect(live.requestedBy).toBe('user:default/guest');
    const row = await eventually(async () => {
      const r = await backend.kratixDatabase('kratix_requests').where({ id: pending.id }).first();
      return r?.state === 'applied' ? r : undefined;
    }, 'the ledger to mark the request applied');
    expect(row.resource_uid).toBe(live.uid);
    // Then Ready: the Promise's workflow ran on the applied Resource.
    await eventually(async () => {
      const res = await request(backend.server).get(RESOURCE_ROUTE).set('Authorization', guest);
      return res.body.resource?.state === 'ready' ? true : undefined;
    }, 'the Resource to become ready', 60_000);
  });

  it('delivers an update and a delete through Git, and the sync follows', async () => {
    const current = await request(backend.server).get(RESOURCE_ROUTE).set('Authorization', guest);
    expect(current.status).toBe(200);
    const update = await request(backend.server)
      .patch(RESOURCE_ROUTE)
      .set('Authorization', guest)
      .send({
        spec: { size: 'large' },
        resourceVersion: current.body.object.metadata.resourceVersion,
      });
    expect(update.status).toBe(200);
    expect(update.body.request).toMatchObject({ operation: 'update', state: 'pending' });
    const changed = parseYaml((await fileAtHead())!);
    expect(changed.spec).toEqual({ size: 'large' });
    expect(changed.metadata.annotations['kratix.backstage.io/request-id']).toBe(
      update.body.request.id,
    );
    // The cluster is untouched until the sync.
    const before = await request(backend.server).get(RESOURCE_ROUTE).set('Authorization', guest);
    expect(before.body.object.spec).toEqual({ size: 'small' });
    await sandbox.git!.sync();
    await eventually(async () => {
      const res = await request(backend.server).get(RESOURCE_ROUTE).set('Authorization', guest);
      return res.body.object?.spec?.size === 'large' ? true : undefined;
    }, 'the synced update');
    await eventually(async () => {
      const r = await backend.kratixDatabase('kratix_requests').where({ id: update.body.request.id }).first();
      return r?.state === 'applied' ? true : undefined;
    }, 'the update request to be applied');

    const removed = await request(backend.server)
      .delete(RESOURCE_ROUTE)
      .set('Authorization', guest);
    expect(removed.status).toBe(202);
    expect(removed.body.request).toMatchObject({ operation: 'delete', state: 'pending' });
    expect(await fileAtHead()).toBeUndefined();
    await sandbox.git!.sync();
    await eventually(async () => {
      const res = await request(backend.server).get(RESOURCE_ROUTE).set('Authorization', guest);
      return res.status === 404 ? true : undefined;
    }, 'the Resource to be deleted by the sync', 60_000);
    await eventually(async () => {
      const r = await backend.kratixDatabase('kratix_requests').where({ id: removed.body.request.id }).first();
      return r?.state === 'applied' ? true : undefined;
    }, 'the delete request to be applied');
  });

  it('shows a pending request to its requester and the entity\'s owners, and to nobody else', async () => {
    // alice (the platform team) requests for checkout-service, which guest's team owns.
    const alice = await backend.auth('alice');
    const created = await request(backend.server)
      .post('/api/kratix/resources')
      .set('Authorization', alice)
      .send({
        promise: 'redis',
        namespace: 'default',
        name: 'alice-git-cache',
        spec: { size: 'small' },
        entityRef: CHECKOUT,
      });
    expect(created.status).toBe(202);
    const id = created.body.request.id;
    const seen = async (user: string) =>
      ((await entity(await backend.auth(user))).body.requests ?? []).map(
        (r: { id: string }) => r.id,
      );
    expect(await seen('alice')).toContain(id);
    expect(await seen('guest')).toContain(id);
    expect(await seen('bob')).not.toContain(id);
    // Someone else asking for the same name learns only that it is taken.
    const again = await request(backend.server)
      .post('/api/kratix/resources')
      .set('Authorization', guest)
      .send({
        promise: 'redis',
        namespace: 'default',
        name: 'alice-git-cache',
        spec: { size: 'small' },
        entityRef: CHECKOUT,
      });
    expect(again.status).toBe(409);
    expect(again.body.error.message).toBe(
      'name: redis "default/alice-git-cache" is already requested and not yet applied by the platform; choose another name',
    );
  });
});
