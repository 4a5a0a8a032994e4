/*
 * Load-test data for the sandbox, written straight into its object store: Promises `bench<i>`
 * (group `bench.kratix.io`, a one-field spec) with any number of Resources `r-<j>` each. The
 * benchmarks and scale tests of every package fill their sandboxes with this one shape.
 */
// The main entry point's types by name, so this entry point's API names them as that one's.
import type { KubeObject, Sandbox } from '@kratix-backstage/sandbox';

const PROMISES = { group: 'platform.kratix.io', plural: 'promises' };
const kindOf = (index: number) => `bench${index}`;

/**
 * Which load-test Promises: `bench<from>` up to, not including, `bench<to>`.
 *
 * @public
 */
export interface ScaleRange {
  from?: number;
  to: number;
}

/**
 * The load-test Promise `bench<index>`: a CRD in group `bench.kratix.io` whose spec has one string.
 *
 * @public
 */
export function scalePromise(index: number): KubeObject {
  const kind = kindOf(index);
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
 * Installs the load-test Promises of a range and waits until their Resource kinds are served.
 * `waitIdle: false` skips waiting for the emulator to go idle (it never does while seeded
 * Resources keep it busy): only the CRDs are waited for then.
 *
 * @public
 */
export async function installScalePromises(
  sandbox: Pick<Sandbox, 'store' | 'emulator'>,
  range: ScaleRange,
  waitIdle = true,
): Promise<void> {
  const { store } = sandbox;
  const from = range.from ?? 0;
  for (let i = from; i < range.to; i++) store.create(PROMISES, scalePromise(i));
  if (waitIdle) await sandbox.emulator.idle();
  for (let i = from; i < range.to; i++) {
    const type = { group: 'bench.kratix.io', plural: `${kindOf(i)}s` };
    for (let tries = 0; !store.getType(type); tries++) {
      if (tries > 600) throw new Error(`Promise ${kindOf(i)}: CRD not served`);
      await new Promise(r => setTimeout(r, 50));
    }
  }
}

/**
 * Creates `perPromise` Resources `r-<j>` of each load-test Promise in the range (in namespace
 * `default`), with the annotations `annotations(promiseIndex, j)` gives, then (unless `waitIdle`
 * is false) waits for the emulator to go idle.
 *
 * @public
 */
export async function addScaleResources(
  sandbox: Pick<Sandbox, 'store' | 'emulator'>,
  range: ScaleRange & {
    perPromise: number;
    annotations?: (promiseIndex: number, j: number) => Record<string, string>;
  },
  waitIdle = true,
): Promise<void> {
  for (let i = range.from ?? 0; i < range.to; i++) {
    for (let j = 0; j < range.perPromise; j++) {
      const annotations = range.annotations?.(i, j);
      sandbox.store.create(
        { group: 'bench.kratix.io', plural: `${kindOf(i)}s` },
        {
          apiVersion: 'bench.kratix.io/v1alpha1',
          kind: kindOf(i),
          metadata: {
            name: `r-${j}`,
            namespace: 'default',
            ...(annotations ? { annotations } : {}),
          },
          spec: { size: 'small' },
        },
      );
    }
  }
  if (waitIdle) await sandbox.emulator.idle();
}
