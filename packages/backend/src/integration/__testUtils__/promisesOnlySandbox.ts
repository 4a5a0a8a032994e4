/*
 * A sandbox platform with only the seed's Destinations and Promises, installed (their CRDs served)
 * and idle: no seeded Resource runs, so the Resources are the tests' own and a test can wait for
 * the platform to be idle.
 */
import {
  DEFAULT_SEED_DIR,
  startSandbox,
  type Sandbox,
  type SandboxOptions,
} from '@kratix-backstage/sandbox';
import path from 'node:path';

export async function startPromisesOnlySandbox(
  options: Omit<SandboxOptions, 'seed' | 'loadDirs'> = {},
): Promise<Sandbox> {
  const sandbox = await startSandbox({
    seed: false,
    loadDirs: ['destinations', 'promises'].map(d =>
      path.join(DEFAULT_SEED_DIR, d),
    ),
    ...options,
  });
  await sandbox.ready;
  await sandbox.emulator.idle();
  return sandbox;
}
