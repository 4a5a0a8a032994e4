/*
 * Bench data: Promises `bench<i>` (group bench.kratix.io) with 200 Resources each, loaded straight
 * into the sandbox's object store, as packages/kratix-sandbox/bench/scale.ts does.
 */
import type { Sandbox } from '@kratix-backstage/sandbox';

export const PER_PROMISE = 200;

function promise(i: number) {
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

/**
 * Adds Promises `bench<from>` .. `bench<to - 1>` with PER_PROMISE Resources each. The emulator's
 * idle() never settles on the seeded sandbox (some seeded Resources keep it busy), so with
 * `waitIdle: false` this waits only for the Promises' CRDs to be served.
 */
export async function loadBenchResources(
  sandbox: Sandbox,
  from: number,
  to: number,
  waitIdle = true,
): Promise<void> {
  const { store } = sandbox;
  for (let i = from; i < to; i++) {
    store.create(
      { group: 'platform.kratix.io', plural: 'promises' },
      promise(i),
    );
  }
  if (waitIdle) await sandbox.emulator.idle();
  for (let i = from; i < to; i++) {
    for (
      let tries = 0;
      !store.getType({ group: 'bench.kratix.io', plural: `bench${i}s` });
      tries++
    ) {
      if (tries > 600) throw new Error(`Promise bench${i}: CRD not served`);
      await new Promise(r => setTimeout(r, 50));
    }
  }
  for (let i = from; i < to; i++) {
    for (let j = 0; j < PER_PROMISE; j++) {
      store.create(
        { group: 'bench.kratix.io', plural: `bench${i}s` },
        {
          apiVersion: 'bench.kratix.io/v1alpha1',
          kind: `bench${i}`,
          metadata: {
            name: `r-${j}`,
            namespace: 'default',
            annotations: {
              'kratix.backstage.io/owner': `group:default/team-${j % 10}`,
            },
          },
          spec: { size: 'small' },
        },
      );
    }
  }
  if (waitIdle) await sandbox.emulator.idle();
}
