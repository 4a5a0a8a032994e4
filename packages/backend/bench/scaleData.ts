/*
 * Bench data: the sandbox's load-test Promises `bench<i>` with 200 Resources each, each owned by one
 * of ten teams (`kratix.backstage.io/owner`).
 */
import type { Sandbox } from '@kratix-backstage/sandbox';
import {
  addScaleResources,
  installScalePromises,
} from '@kratix-backstage/sandbox/testUtils';

export const PER_PROMISE = 200;

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
  await installScalePromises(sandbox, { from, to }, waitIdle);
  await addScaleResources(
    sandbox,
    {
      from,
      to,
      perPromise: PER_PROMISE,
      annotations: (_promise, j) => ({
        'kratix.backstage.io/owner': `group:default/team-${j % 10}`,
      }),
    },
    waitIdle,
  );
}
