/*
 * Writes refused by the policy, through the plugin as Backstage starts it: the reader may read
 * checkout-service's Resources but the test policy denies kratix.resource.update, .delete and
 * .create. Each manage action and the create answer 403, and the sandbox's Kubernetes API shows
 * that nothing changed and nothing was created.
 */
import request from 'supertest';
import {
  readObject,
  redisPath,
  type KubeObject,
} from './__testUtils__/clusterApi';
import {
  eventually,
  startPluginBackend,
  type PluginBackend,
} from './__testUtils__/pluginBackend';
import { DENIED, READER } from './__testUtils__/seedCatalog';

jest.setTimeout(60_000);

const CHECKOUT = '/api/kratix/entities/component/default/checkout-service';
const EXAMPLE = `${CHECKOUT}/resources/sandbox/default/redis/example`;
const PAUSED =
  '/api/kratix/entities/component/default/session-cache/resources/sandbox/default/redis/paused-cache';

/** What any manage action would change, and the version that moves on any write. */
const writable = (object: KubeObject) => ({
  uid: object.metadata.uid,
  resourceVersion: object.metadata.resourceVersion,
  generation: object.metadata.generation,
  labels: object.metadata.labels,
  annotations: object.metadata.annotations,
  spec: object.spec,
});

describe('writes the policy denies', () => {
  let plugin: PluginBackend;
  const send = (
    method: 'post' | 'patch' | 'delete',
    path: string,
    user: string,
    body?: object,
  ) => {
    const req = request(plugin.server)
      [method](path)
      .set('Authorization', plugin.auth(user));
    return body ? req.send(body) : req;
  };
  const read = async (name: string) => {
    const object = await readObject(plugin.sandbox, redisPath(name));
    if (!object) throw new Error(`redis/${name} is not on the cluster`);
    return object;
  };

  beforeAll(async () => {
    plugin = await startPluginBackend();
    // Its workflow done and nothing pending, so any later change would be a write.
    await eventually(async () => {
      const object = await read('example');
      const reconciled = (object.status?.conditions ?? []).find(
        (c: { type: string }) => c.type === 'Reconciled',
      );
      return reconciled?.status === 'True' &&
        object.status?.observedGeneration === object.metadata.generation
        ? true
        : undefined;
    }, 'redis/example to settle');
  });

  afterAll(async () => {
    await plugin?.close();
  });

  it('answers 403 to the reader for every manage action, and the Resources stay as they were', async () => {
    const example = await read('example');
    const paused = await read('paused-cache');
    expect(paused.metadata.labels).toMatchObject({
      'kratix.io/paused': 'true',
    });

    const change =
      /^You may not change the Kratix Resources of component:default\/checkout-service$/;
    const refusals: Array<[string, Promise<request.Response>, RegExp]> = [
      ['reconcile', send('post', `${EXAMPLE}/reconcile`, READER), change],
      ['pause', send('post', `${EXAMPLE}/pause`, READER), change],
      [
        'resume',
        send('post', `${PAUSED}/resume`, READER),
        /^You may not change the Kratix Resources of component:default\/session-cache$/,
      ],
      [
        'update',
        send('patch', EXAMPLE, READER, {
          spec: { size: 'large' },
          resourceVersion: example.metadata.resourceVersion,
        }),
        change,
      ],
      [
        'delete',
        send('delete', EXAMPLE, READER),
        /^You may not delete the Kratix Resources of component:default\/checkout-service$/,
      ],
    ];
    for (const [action, response, message] of refusals) {
      const res = await response;
      expect({ action, status: res.status, error: res.body.error }).toEqual({
        action,
        status: 403,
        error: {
          name: 'NotAllowedError',
          message: expect.stringMatching(message),
        },
      });
    }

    expect(writable(await read('example'))).toEqual(writable(example));
    expect(writable(await read('paused-cache'))).toEqual(writable(paused));
  });

  it('answers 404 to the denied user, who cannot see the entity, and changes nothing', async () => {
    const example = await read('example');
    const res = await send('delete', EXAMPLE, DENIED);
    expect(res.status).toBe(404);
    expect(res.body.error.message).toBe(
      'No entity component:default/checkout-service',
    );
    const pause = await send('post', `${EXAMPLE}/pause`, DENIED);
    expect(pause.status).toBe(404);
    expect(writable(await read('example'))).toEqual(writable(example));
  });

  it('refuses the create with 403 and creates nothing', async () => {
    const res = await send('post', '/api/kratix/resources', READER, {
      promise: 'redis',
      namespace: 'default',
      name: 'reader-cache',
      spec: { size: 'small' },
      entityRef: 'component:default/checkout-service',
    });
    expect(res.status).toBe(403);
    expect(res.body.error).toEqual({
      name: 'NotAllowedError',
      message:
        'You may not create Kratix Resources for component:default/checkout-service',
    });
    // Refused for no entity as well (kratix.resource.create.unlinked).
    const unlinked = await send('post', '/api/kratix/resources', READER, {
      promise: 'redis',
      namespace: 'default',
      name: 'reader-cache',
      spec: { size: 'small' },
    });
    expect(unlinked.status).toBe(403);
    expect(await readObject(plugin.sandbox, redisPath('reader-cache'))).toBe(
      undefined,
    );
  });
});
