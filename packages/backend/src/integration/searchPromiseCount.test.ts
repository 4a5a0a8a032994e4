/*
 * Issue 20, Low 7: "Promise search documents count other teams' Resources". The attacker, the
 * guest (team-search and team-checkout), searches for a Promise while the platform team creates
 * Resources of it the guest may not read. The Promise document they get carries no count, and is
 * the same before and after: nothing about those Resources reaches them through it.
 */
import { schedulerServiceFactory } from '@backstage/backend-defaults/scheduler';
import searchBackend from '@backstage/plugin-search-backend';
import searchModuleKratix from '@kratix-backstage/plugin-search-backend-module-kratix';
import { startSandbox, type Sandbox } from '@kratix-backstage/sandbox';
import request from 'supertest';
import {
  eventually,
  startKratixTestBackend,
  type KratixTestBackend,
} from './__testUtils__/testBackend';

jest.setTimeout(120_000);

const REDIS = { group: 'marketplace.kratix.io', plural: 'redis' };

interface Hit {
  type: string;
  document: Record<string, any>;
}

describe('Promise search documents', () => {
  let sandbox: Sandbox;
  let backend: KratixTestBackend;
  const auth: Record<string, string> = {};

  const search = async (user: string, term: string): Promise<Hit[]> => {
    const res = await request(backend.server)
      .get('/api/search/query')
      .query({ term })
      .set('Authorization', auth[user]);
    expect(res.status).toBe(200);
    return res.body.results;
  };
  const promiseDocument = async (user: string) =>
    (await search(user, 'redis')).find(
      h => h.type === 'kratix-promise' && h.document.title === 'redis',
    )?.document;
  /** Waits for a collation that indexed the platform-only Resource `name`. */
  const indexed = (name: string) =>
    eventually(async () => {
      const hits = await search('alice', name);
      return hits.some(
        h => h.type === 'kratix-resource' && h.document.name === name,
      )
        ? true
        : undefined;
    }, `a collation that indexed ${name}`);
  const createPlatformOnly = (name: string) =>
    sandbox.store.create(REDIS, {
      apiVersion: 'marketplace.kratix.io/v1alpha1',
      kind: 'redis',
      metadata: { name, namespace: 'default' },
      spec: { size: 'large' },
    });

  beforeAll(async () => {
    sandbox = await startSandbox({ stepDelayMs: 0 });
    await sandbox.ready;
    createPlatformOnly('platform-only-1');
    backend = await startKratixTestBackend({
      cluster: sandbox,
      features: [schedulerServiceFactory, searchBackend, searchModuleKratix],
      extraConfig: {
        search: {
          collators: {
            kratix: {
              schedule: { frequency: { seconds: 2 }, timeout: { minutes: 1 } },
            },
          },
        },
      },
    });
    for (const user of ['guest', 'alice']) {
      auth[user] = await backend.auth(user);
    }
    await indexed('platform-only-1');
  });

  afterAll(async () => {
    await backend?.stop();
    await sandbox?.close();
  });

  it('carry no count of Resources, and do not change when another team adds Resources', async () => {
    // The guest may not read the platform team's Resource...
    expect(
      (await search('guest', 'platform-only-1')).filter(
        h =>
          h.type === 'kratix-resource' &&
          h.document.name.startsWith('platform-only'),
      ),
    ).toEqual([]);
    // ...and its Promise's document says nothing about how many there are.
    // The Promise collator runs apart from the Resource one: wait for its document as its own signal.
    const before = await eventually(
      () => promiseDocument('guest'),
      'the redis Promise document',
    );
    expect(before).toMatchObject({ title: 'redis', kind: 'redis' });
    expect(before).not.toHaveProperty('resourceCount');
    expect(before!.text).not.toMatch(/\d+\s+Resources?\b|Resources:/);

    // The platform team adds two more; a collation indexes them.
    createPlatformOnly('platform-only-2');
    createPlatformOnly('platform-only-3');
    await indexed('platform-only-3');

    expect(
      await eventually(() => promiseDocument('guest'), 'the Promise document'),
    ).toEqual(before);
    // The platform team gets the same document: it is one document for every reader.
    expect(
      await eventually(() => promiseDocument('alice'), 'the Promise document'),
    ).toEqual(before);
  });
});
