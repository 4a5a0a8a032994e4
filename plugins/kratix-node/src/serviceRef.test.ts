import {
  createBackendPlugin,
  createServiceFactory,
} from '@backstage/backend-plugin-api';
import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import type { JsonObject } from '@backstage/config';
import { KubeConfig } from '@kubernetes/client-node';
import type { KratixClusterDetails } from './clusterDetails';
import {
  kratixAuthStrategyServiceRef,
  kratixClusterSupplierServiceRef,
} from './extensions';
import type { KratixClusterService } from './KratixClusterService';
import { kratixClusterServiceRef } from './serviceRef';

// Nothing listens here: connections back off quietly until the backend stops.
const NOWHERE = 'https://127.0.0.1:9';

/** Starts a backend with the given features and returns the cluster service a plugin receives. */
async function clusterServiceWith(features: any[]) {
  let service: KratixClusterService | undefined;
  const backend = await startTestBackend({
    features: [
      ...features,
      createBackendPlugin({
        pluginId: 'probe',
        register(env) {
          env.registerInit({
            deps: { clusters: kratixClusterServiceRef },
            async init({ clusters }) {
              service = clusters;
            },
          });
        },
      }),
    ],
  });
  return { backend, service: service! };
}

const config = (clusters: JsonObject[]) =>
  mockServices.rootConfig.factory({ data: { kratix: { clusters } } });

describe('kratixClusterServiceRef', () => {
  it('adds supplied clusters after the configured ones, each through the auth strategy its type names', async () => {
    const seen: KratixClusterDetails[] = [];
    const { backend, service } = await clusterServiceWith([
      config([
        {
          name: 'configured',
          url: NOWHERE,
          auth: { type: 'serviceAccount', token: 'secret' },
        },
      ]),
      createServiceFactory({
        service: kratixClusterSupplierServiceRef,
        deps: {},
        factory: () => ({
          getClusters: async () => [
            {
              name: 'supplied',
              title: 'Supplied cluster',
              sandbox: true,
              url: NOWHERE,
              auth: { type: 'vault', role: 'kratix' },
            },
          ],
        }),
      }),
      createServiceFactory({
        service: kratixAuthStrategyServiceRef,
        deps: {},
        factory: () => ({
          type: 'vault',
          async getKubeConfig(cluster) {
            seen.push(cluster);
            const kc = new KubeConfig();
            kc.loadFromOptions({
              clusters: [{ name: 'c', server: cluster.url! }],
              users: [{ name: 'u', token: 'from-vault' }],
              contexts: [{ name: 'c', cluster: 'c', user: 'u' }],
              currentContext: 'c',
            });
            return kc;
          },
        }),
      }),
    ]);
    try {
      expect(service.clusters()).toEqual([
        { name: 'configured', title: undefined, sandbox: false },
        { name: 'supplied', title: 'Supplied cluster', sandbox: true },
      ]);
      expect(service.defaultCluster()).toBe('configured');
      expect(seen.map(c => [c.name, c.auth])).toEqual([
        ['supplied', { type: 'vault', role: 'kratix' }],
      ]);
    } finally {
      await backend.stop();
    }
  });

  it('works with no supplier and no strategy installed', async () => {
    const { backend, service } = await clusterServiceWith([config([])]);
    try {
      expect(service.clusters()).toEqual([]);
      expect(service.defaultCluster()).toBeUndefined();
    } finally {
      await backend.stop();
    }
  });

  it('refuses to start on an auth type no strategy handles', async () => {
    await expect(
      clusterServiceWith([
        config([{ name: 'x', url: NOWHERE, auth: { type: 'vault' } }]),
      ]),
    ).rejects.toThrow(
      /auth\.type "vault" has no auth strategy; known: serviceAccount, kubeconfig, inCluster/,
    );
  });

  it('refuses a supplied cluster whose name is already configured', async () => {
    await expect(
      clusterServiceWith([
        config([{ name: 'dup', url: NOWHERE }]),
        createServiceFactory({
          service: kratixClusterSupplierServiceRef,
          deps: {},
          factory: () => ({
            getClusters: async () => [{ name: 'dup', url: NOWHERE }],
          }),
        }),
      ]),
    ).rejects.toThrow(/Two Kratix clusters are named "dup"/);
  });
});
