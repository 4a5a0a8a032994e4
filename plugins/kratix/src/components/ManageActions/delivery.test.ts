import type { KratixClusterInfo } from '@kratix-backstage/plugin-kratix-common';
import { deliveryOf, repositoryText } from './delivery';

const REPO = 'https://git.example.com/acme/requests.git';

const clusters = (): KratixClusterInfo[] => [
  { name: 'direct', sandbox: false },
  {
    name: 'git',
    sandbox: false,
    delivery: 'gitops',
    deliveryTarget: { repository: REPO, branch: 'main' },
    promiseDelivery: { jenkins: { mode: 'direct' } },
  },
];

describe('deliveryOf', () => {
  it('takes the Promise’s override, else the cluster’s delivery, else direct', () => {
    expect(
      deliveryOf(clusters(), { cluster: 'direct', promise: 'redis' }),
    ).toEqual({
      mode: 'direct',
    });
    expect(
      deliveryOf(clusters(), { cluster: 'git', promise: 'redis' }),
    ).toEqual({
      mode: 'gitops',
      repository: REPO,
      branch: 'main',
    });
    expect(
      deliveryOf(clusters(), { cluster: 'git', promise: 'jenkins' }),
    ).toEqual({
      mode: 'direct',
    });
  });

  it('is unknown for a cluster not among the infos, or without infos', () => {
    expect(
      deliveryOf(clusters(), { cluster: 'other', promise: 'redis' }),
    ).toBeUndefined();
    expect(
      deliveryOf(undefined, { cluster: 'git', promise: 'redis' }),
    ).toBeUndefined();
  });

  it('gives the same object for equal deliveries from new infos, so a memoized panel is not redrawn', () => {
    const first = deliveryOf(clusters(), { cluster: 'git', promise: 'redis' });
    const again = deliveryOf(clusters(), { cluster: 'git', promise: 'redis' });
    expect(again).toBe(first);
  });
});

describe('repositoryText', () => {
  it('names the repository and branch, or the cluster’s requests repository when not sent', () => {
    expect(
      repositoryText({ mode: 'gitops', repository: REPO, branch: 'main' }),
    ).toBe(`${REPO} (branch main)`);
    expect(repositoryText({ mode: 'pull-request' })).toBe(
      'the cluster’s requests repository',
    );
  });
});
