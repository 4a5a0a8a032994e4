import { manifestFromLive } from './manifestFromLive';

describe('manifestFromLive', () => {
  it('keeps what Backstage declared and drops what the platform and the agent added', () => {
    const manifest = manifestFromLive(
      {
        apiVersion: 'marketplace.kratix.io/v1alpha1',
        kind: 'redis',
        metadata: {
          name: 'orders-cache',
          namespace: 'default',
          uid: 'u-1',
          resourceVersion: '42',
          labels: {
            team: 'checkout',
            'kratix.io/promise-name': 'redis',
            'kratix.backstage.io/synced-by': 'sandbox-git-sync',
            'kustomize.toolkit.fluxcd.io/name': 'requests',
          },
          annotations: {
            'kratix.backstage.io/requested-by': 'user:default/guest',
            'kratix.backstage.io/entity-ref': 'component:default/shop',
            'kratix.backstage.io/request-id': 'old',
            'kratix.backstage.io/synced-config': '{}',
            'kubectl.kubernetes.io/last-applied-configuration': '{}',
          },
        },
        spec: { size: 'small' },
        status: { message: 'Resource requested' },
      },
      { spec: { size: 'large' }, requestId: 'new' },
    );
    expect(manifest).toEqual({
      apiVersion: 'marketplace.kratix.io/v1alpha1',
      kind: 'redis',
      metadata: {
        name: 'orders-cache',
        namespace: 'default',
        labels: { team: 'checkout' },
        annotations: {
          'kratix.backstage.io/requested-by': 'user:default/guest',
          'kratix.backstage.io/entity-ref': 'component:default/shop',
          'kratix.backstage.io/request-id': 'new',
        },
      },
      spec: { size: 'large' },
    });
  });
});
