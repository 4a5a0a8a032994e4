import { ConfigReader } from '@backstage/config';
import {
  deliveryInfoOf,
  manifestPath,
  readClusterDelivery,
  resolveDelivery,
} from './deliveryTarget';

const KEY = 'kratix.clusters[platform].delivery';
const read = (delivery: object) =>
  readClusterDelivery(new ConfigReader(delivery), KEY);

describe('cluster delivery', () => {
  it('is direct unless configured, and then takes the documented defaults', () => {
    expect(resolveDelivery(undefined, 'redis')).toBeUndefined();
    expect(resolveDelivery(read({ mode: 'direct' }), 'redis')).toBeUndefined();
    expect(
      resolveDelivery(
        read({ mode: 'gitops', repository: 'https://git.example.com/r.git' }),
        'redis',
      ),
    ).toEqual({
      mode: 'gitops',
      repository: 'https://git.example.com/r.git',
      branch: 'main',
      path: 'kratix-requests',
    });
  });

  it('lets a Promise override any key of its cluster', () => {
    const delivery = read({
      mode: 'pull-request',
      repository: 'https://github.com/acme/requests.git',
      branch: 'release',
      path: 'platform/',
      promises: {
        redis: { mode: 'gitops', branch: 'main' },
        postgresql: { mode: 'direct' },
      },
    });
    expect(resolveDelivery(delivery, 'jenkins')).toMatchObject({
      mode: 'pull-request',
      branch: 'release',
      path: 'platform',
    });
    expect(resolveDelivery(delivery, 'redis')).toMatchObject({
      mode: 'gitops',
      branch: 'main',
      repository: 'https://github.com/acme/requests.git',
    });
    expect(resolveDelivery(delivery, 'postgresql')).toBeUndefined();
  });

  it('stops startup naming the key for a bad mode, a missing repository or a path outside the repository', () => {
    expect(() => read({ mode: 'push' })).toThrow(
      `${KEY}.mode must be one of direct, gitops, pull-request, got "push"`,
    );
    expect(() => read({ mode: 'gitops' })).toThrow(
      `${KEY}: mode gitops needs a repository`,
    );
    expect(() =>
      read({ mode: 'direct', promises: { redis: { mode: 'gitops' } } }),
    ).toThrow(`${KEY}.promises.redis: mode gitops needs a repository`);
    expect(() =>
      read({ mode: 'gitops', repository: 'https://x/r.git', path: '../up' }),
    ).toThrow(
      `${KEY}.path must be a folder inside the repository, got "../up"`,
    );
  });

  it('puts each Resource in its own file under the path', () => {
    expect(
      manifestPath(
        { path: 'kratix-requests' },
        {
          cluster: 'platform',
          namespace: 'team-a',
          promise: 'redis',
          name: 'orders-cache',
        },
      ),
    ).toBe('kratix-requests/platform/team-a/redis/orders-cache.yaml');
    expect(
      manifestPath(
        { path: '' },
        { cluster: 'c', namespace: 'n', promise: 'p', name: 'x' },
      ),
    ).toBe('c/n/p/x.yaml');
  });
});

describe('the delivery part of a cluster info', () => {
  it('names the cluster’s target and only the Promises delivered otherwise', () => {
    const delivery = read({
      mode: 'gitops',
      repository: 'https://git.example.com/platform/requests.git',
      branch: 'release',
      promises: {
        // the same target as the cluster: not listed
        jenkins: { path: 'elsewhere' },
        redis: { mode: 'direct' },
        postgresql: {
          mode: 'pull-request',
          repository: 'https://github.com/acme/requests.git',
        },
        mongodb: { branch: 'main' },
      },
    });
    expect(deliveryInfoOf(delivery, KEY)).toEqual({
      delivery: 'gitops',
      deliveryTarget: {
        repository: 'https://git.example.com/platform/requests.git',
        branch: 'release',
      },
      promiseDelivery: {
        redis: { mode: 'direct' },
        postgresql: {
          mode: 'pull-request',
          repository: 'https://github.com/acme/requests.git',
          branch: 'release',
        },
        mongodb: {
          mode: 'gitops',
          repository: 'https://git.example.com/platform/requests.git',
          branch: 'main',
        },
      },
    });
  });

  it('says nothing for a direct cluster without overrides, and names a direct cluster’s Git Promises', () => {
    expect(deliveryInfoOf(undefined, KEY)).toEqual({});
    expect(deliveryInfoOf(read({ mode: 'direct' }), KEY)).toEqual({});
    expect(
      deliveryInfoOf(
        read({
          promises: {
            'elastic-cloud': {
              mode: 'gitops',
              repository: 'https://git.example.com/r.git',
            },
          },
        }),
        KEY,
      ),
    ).toEqual({
      promiseDelivery: {
        'elastic-cloud': {
          mode: 'gitops',
          repository: 'https://git.example.com/r.git',
          branch: 'main',
        },
      },
    });
  });

  it('never carries credentials, even from a supplied cluster that was not read from config', () => {
    const info = deliveryInfoOf(
      {
        mode: 'gitops',
        repository: 'https://bot:s3cret@git.example.com/r.git',
      },
      KEY,
    );
    expect(info.deliveryTarget?.repository).toBe(
      'https://git.example.com/r.git',
    );
    expect(JSON.stringify(info)).not.toContain('s3cret');
  });
});
