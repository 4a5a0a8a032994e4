/*
 * A reader who is not a writer: carol is on team-sre, which the app's policy lets read
 * team-checkout's Resources (examples/org.yaml, `example.com/reads-kratix-resources-of`). Each
 * write permission is tried on its own — create, update, delete, re-run, pause, resume — and each
 * must answer 403 and leave the Resource as it was. Since carol may read, the refusal can only
 * come from the write's own check: removing that check makes its test fail.
 */
import { startSandbox, type Sandbox } from '@kratix-backstage/sandbox';
import request from 'supertest';
import {
  eventually,
  startKratixTestBackend,
  type KratixTestBackend,
} from './__testUtils__/testBackend';

jest.setTimeout(120_000);

const REDIS = { group: 'marketplace.kratix.io', plural: 'redis' };
const CHECKOUT = '/api/kratix/entities/component/default/checkout-service';
const EXAMPLE = `${CHECKOUT}/resources/sandbox/default/redis/example`;
const SEARCH = '/api/kratix/entities/component/default/search-service';
const MAY_NOT_CHANGE =
  /^You may not change the Kratix Resources of component:default\/checkout-service$/;

describe('a viewer reads a team’s Resources and changes none of them', () => {
  let sandbox: Sandbox;
  let backend: KratixTestBackend;
  let carol: string;
  let guest: string;

  beforeAll(async () => {
    sandbox = await startSandbox({ stepDelayMs: 20 });
    await sandbox.ready;
    backend = await startKratixTestBackend({ cluster: sandbox });
    [carol, guest] = await Promise.all(
      ['carol', 'guest'].map(user => backend.auth(user)),
    );
  });

  afterAll(async () => {
    await backend?.stop();
    await sandbox?.close();
  });

  const stored = (name: string) => sandbox.store.get(REDIS, 'default', name);
  /** What a write could change; status keeps moving as the workflow runs, so it is left out. */
  const userFacing = (name: string) => {
    const object = stored(name);
    if (!object) return undefined;
    const { metadata, spec } = object;
    return {
      uid: metadata.uid,
      generation: metadata.generation,
      labels: metadata.labels ?? {},
      annotations: metadata.annotations ?? {},
      deletionTimestamp: metadata.deletionTimestamp,
      spec,
    };
  };
  const as = (auth: string) => ({
    get: (url: string) =>
      request(backend.server).get(url).set('Authorization', auth),
    post: (url: string, body?: object) =>
      request(backend.server)
        .post(url)
        .set('Authorization', auth)
        .send(body ?? {}),
    patch: (url: string, body: object) =>
      request(backend.server).patch(url).set('Authorization', auth).send(body),
    delete: (url: string) =>
      request(backend.server).delete(url).set('Authorization', auth),
  });
  const expectRefused = (res: request.Response) =>
    expect({ status: res.status, message: res.body.error?.message }).toEqual({
      status: 403,
      message: expect.stringMatching(MAY_NOT_CHANGE),
    });

  it('reads the team’s Resources on the entity’s tab and the Resource itself', async () => {
    const list = await eventually(async () => {
      const res = await as(carol).get(`${CHECKOUT}/resources`);
      return res.status === 200 && res.body.items.length > 0 ? res : undefined;
    }, 'carol to list checkout-service’s Resources');
    const example = list.body.items.find((r: any) => r.name === 'example');
    expect(example).toMatchObject({ promise: 'redis', namespace: 'default' });
    expect(example.message).toEqual(expect.any(String));

    const details = await as(carol).get(EXAMPLE);
    expect(details.status).toBe(200);
    expect(details.body.object.metadata.uid).toBe(
      stored('example')!.metadata.uid,
    );
  });

  it('reads no Resource of a team it does not view', async () => {
    const res = await as(carol).get(`${SEARCH}/resources`);
    expect(res.status).toBe(403);
    expect(res.body.items).toBeUndefined();
    expect(JSON.stringify(res.body)).not.toMatch(
      /elastic|initialLoginDetails/i,
    );
  });

  it('may not create a Resource for the entity (kratix.resource.create)', async () => {
    const res = await as(carol).post('/api/kratix/resources', {
      promise: 'redis',
      namespace: 'default',
      name: 'carols-cache',
      spec: { size: 'small' },
      entityRef: 'component:default/checkout-service',
    });
    expect(res.status).toBe(403);
    expect(res.body.error.message).toMatch(/checkout-service/);
    expect(stored('carols-cache')).toBeUndefined();
  });

  it('may not create a Resource for no entity (kratix.resource.create.unlinked)', async () => {
    const res = await as(carol).post('/api/kratix/resources', {
      promise: 'redis',
      namespace: 'default',
      name: 'carols-unlinked-cache',
      spec: { size: 'small' },
    });
    expect(res.status).toBe(403);
    expect(res.body.error.message).toMatch(/^entityRef: required/);
    expect(stored('carols-unlinked-cache')).toBeUndefined();
  });

  it('may not update the spec (kratix.resource.update)', async () => {
    const before = userFacing('example');
    const res = await as(carol).patch(EXAMPLE, {
      spec: { size: 'large' },
      resourceVersion: stored('example')!.metadata.resourceVersion,
    });
    expectRefused(res);
    expect(userFacing('example')).toEqual(before);
  });

  it('may not re-run the workflow (kratix.resource.update)', async () => {
    const before = userFacing('example');
    expectRefused(await as(carol).post(`${EXAMPLE}/reconcile`));
    expect(userFacing('example')).toEqual(before);
  });

  it('may not pause it (kratix.resource.update)', async () => {
    const before = userFacing('example');
    expectRefused(await as(carol).post(`${EXAMPLE}/pause`));
    expect(userFacing('example')).toEqual(before);
    expect(before!.labels['kratix.io/paused']).toBeUndefined();
  });

  it('may not resume it once its owners paused it (kratix.resource.update)', async () => {
    expect((await as(guest).post(`${EXAMPLE}/pause`)).status).toBe(202);
    const paused = userFacing('example');
    expect(paused!.labels['kratix.io/paused']).toBe('true');

    expectRefused(await as(carol).post(`${EXAMPLE}/resume`));
    expect(userFacing('example')).toEqual(paused);

    expect((await as(guest).post(`${EXAMPLE}/resume`)).status).toBe(202);
  });

  it('may not delete it (kratix.resource.delete)', async () => {
    const before = userFacing('example');
    const res = await as(carol).delete(EXAMPLE);
    expect({ status: res.status, message: res.body.error?.message }).toEqual({
      status: 403,
      message:
        'You may not delete the Kratix Resources of component:default/checkout-service',
    });
    expect(userFacing('example')).toEqual(before);
  });
});
