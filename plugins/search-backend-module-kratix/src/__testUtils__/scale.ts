/*
 * Fills a sandbox with 10,000 Resources (50 Promises x 200) straight through its object store, as
 * packages/kratix-sandbox/bench/scale.ts does, each naming one of 100 entities. Shared by the scale
 * test and the bench.
 */
import type { KubeObject, Sandbox } from '@kratix-backstage/sandbox';

export const SCALE = { promises: 50, perPromise: 200, perEntity: 100 };

/** The entity Resource number `index` (0..9,999) names: 100 Resources per entity, in order. */
export const entityOfResource = (index: number) =>
  `app-${Math.floor(index / SCALE.perEntity)}`;

function promise(i: number): KubeObject {
  const kind = `bench${i}`;
  return {
    apiVersion: 'platform.kratix.io/v1alpha1',
    kind: 'Promise',
    metadata: { name: kind },
    spec: {
      api: {
        apiVersion: 'apiextensions.k8s.io/v1',
        kind: 'CustomResourceDefinition',
        metadata: { name: `${kind}s.bench.kratix.io` },
        spec: {
          group: 'bench.kratix.io',
          names: { kind, plural: `${kind}s`, singular: kind },
          scope: 'Namespaced',
          versions: [
            {
              name: 'v1alpha1',
              served: true,
              storage: true,
              schema: {
                openAPIV3Schema: {
                  type: 'object',
                  properties: {
                    spec: {
                      type: 'object',
                      properties: { size: { type: 'string' } },
                    },
                  },
                },
              },
            },
          ],
        },
      },
    },
  };
}

export async function fillSandbox(sandbox: Sandbox): Promise<void> {
  const { store } = sandbox;
  for (let i = 0; i < SCALE.promises; i++) {
    store.create(
      { group: 'platform.kratix.io', plural: 'promises' },
      promise(i),
    );
  }
  await sandbox.emulator.idle();
  for (let i = 0; i < SCALE.promises; i++) {
    for (let j = 0; j < SCALE.perPromise; j++) {
      store.create(
        { group: 'bench.kratix.io', plural: `bench${i}s` },
        {
          apiVersion: 'bench.kratix.io/v1alpha1',
          kind: `bench${i}`,
          metadata: {
            name: `r-${j}`,
            namespace: 'default',
            annotations: {
              'kratix.backstage.io/entity-ref': `component:default/${entityOfResource(
                i * SCALE.perPromise + j,
              )}`,
            },
          },
          spec: { size: 'small' },
        },
      );
    }
  }
  await sandbox.emulator.idle();
}
