/*
 * Startup's check of every delivery repository (issue 27 follow-up): a Promise sent to another
 * repository, or through Git on a direct cluster, is checked against Backstage's integrations
 * like the cluster's own target, and a problem names that Promise's key.
 */
import { mockServices } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import {
  DefaultKratixClusterService,
  GitRequestWriter,
  type KratixClusterDelivery,
} from '@kratix-backstage/plugin-kratix-node';
import { checkDeliveryRepositories } from './checkRepositories';

const REQUESTS = 'http://git.example.test/platform/requests.git';

// A gitea integration for git.example.test; GitHub for github.com.
const writer = GitRequestWriter.fromConfig(
  new ConfigReader({
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
  }),
  { logger: mockServices.logger.mock() },
);

// The real cluster service, not started: no cluster is contacted, the delivery is resolved as in
// the plugin.
async function check(delivery: KratixClusterDelivery) {
  const clusters = await DefaultKratixClusterService.create({
    clusters: [
      {
        name: 'platform',
        url: 'https://127.0.0.1:1',
        auth: { type: 'serviceAccount', token: 'unused' },
        delivery,
      },
    ],
    bounds: { allowedNamespaces: ['default'] },
    logger: mockServices.logger.mock(),
  });
  return () => checkDeliveryRepositories(clusters, writer);
}

describe('checkDeliveryRepositories', () => {
  it('passes a cluster and Promises whose repositories an integration covers', async () => {
    expect(
      await check({
        mode: 'gitops',
        repository: REQUESTS,
        promises: {
          redis: {
            mode: 'pull-request',
            repository: 'https://github.com/acme/requests.git',
          },
        },
      }),
    ).not.toThrow();
  });

  it.each([
    [
      'a Promise sent to a repository no integration covers',
      {
        mode: 'gitops',
        repository: REQUESTS,
        promises: {
          redis: { repository: 'https://git.elsewhere.test/a/b.git' },
        },
      },
      /^kratix\.clusters\[platform\]\.delivery\.promises\.redis\.repository: no entry in Backstage's integrations config covers git\.elsewhere\.test/,
    ],
    [
      'pull requests for one Promise on a forge that has none',
      {
        mode: 'direct',
        repository: REQUESTS,
        promises: { redis: { mode: 'pull-request' } },
      },
      /^kratix\.clusters\[platform\]\.delivery\.promises\.redis\.repository: pull-request delivery opens pull requests on GitHub and GitLab only/,
    ],
    [
      'pull requests for the cluster on a forge that has none',
      { mode: 'pull-request', repository: REQUESTS },
      /^kratix\.clusters\[platform\]\.delivery\.repository: pull-request delivery/,
    ],
  ] as Array<[string, KratixClusterDelivery, RegExp]>)(
    'stops startup naming the key: %s',
    async (_, delivery, message) => {
      expect(await check(delivery)).toThrow(message);
    },
  );
});
