/*
 * How each Promise's requests reach a cluster, as the routes tell the frontend (issue 27): the tab's
 * manage dialogs say "commits", "opens a pull request" or "runs the delete workflow" from it. A
 * cluster's info names its own Git target and only the Promises delivered otherwise, and never the
 * repository's credentials (they live in `integrations`).
 */
import request from 'supertest';
import {
  startPluginBackend,
  type PluginBackend,
} from './__testUtils__/pluginBackend';
import { READER } from './__testUtils__/seedCatalog';

jest.setTimeout(60_000);

const REQUESTS = 'http://git.example.test/platform/requests.git';
const GITHUB = 'https://github.com/acme/requests.git';

describe('the delivery of each Promise, in the cluster infos', () => {
  let plugin: PluginBackend;

  beforeAll(async () => {
    plugin = await startPluginBackend({
      delivery: {
        mode: 'gitops',
        repository: REQUESTS,
        branch: 'main',
        promises: {
          redis: { mode: 'pull-request', repository: GITHUB },
          jenkins: { mode: 'direct' },
          // Another folder in the same repository and branch: delivered as the cluster is.
          'elastic-cloud': { path: 'elastic' },
        },
      },
      extraConfig: {
        integrations: {
          gitea: [
            {
              host: 'git.example.test',
              baseUrl: 'http://git.example.test',
              username: 'kratix-bot',
              password: 'gitea-secret-token',
            },
          ],
          github: [{ host: 'github.com', token: 'github-secret-token' }],
        },
      },
    });
  });

  afterAll(async () => {
    await plugin?.close();
  });

  const expected = {
    name: 'sandbox',
    delivery: 'gitops',
    deliveryTarget: { repository: REQUESTS, branch: 'main' },
    promiseDelivery: {
      redis: { mode: 'pull-request', repository: GITHUB, branch: 'main' },
      jenkins: { mode: 'direct' },
    },
  };

  it.each([
    [
      'an entity’s Resources',
      '/api/kratix/entities/component/default/checkout-service/resources',
    ],
    ['the Promises', '/api/kratix/promises'],
  ])(
    '%s name the cluster’s target and the Promises delivered otherwise',
    async (_, path) => {
      const res = await request(plugin.server)
        .get(path)
        .set('Authorization', plugin.auth(READER));
      expect(res.status).toBe(200);
      expect(res.body.clusters).toEqual([expect.objectContaining(expected)]);
      expect(res.body.clusters[0].promiseDelivery).not.toHaveProperty(
        'elastic-cloud',
      );
      expect(JSON.stringify(res.body)).not.toMatch(/secret-token|kratix-bot/);
    },
  );
});
