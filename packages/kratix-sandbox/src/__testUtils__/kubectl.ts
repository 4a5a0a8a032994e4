/*
 * Finds the real kubectl binaries the machine ships, for the kubectl compatibility tests, and
 * declares those tests so that a missing binary skips them (with the reason in the test name)
 * instead of failing them, except under CI=true, where a missing binary fails the test file.
 */
import { existsSync, realpathSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** The oldest and newest kubectl the sandbox promises to work with. */
export const KUBECTL_VERSIONS = ['1.27', '1.33'] as const;

/** Where to look: KRATIX_TEST_KUBECTL_DIRS (colon-separated) or the gcloud SDK layout. */
function searchDirs(): string[] {
  const override = process.env.KRATIX_TEST_KUBECTL_DIRS;
  if (override !== undefined) return override.split(':').filter(Boolean);
  const dirs = new Set(['/usr/lib/google-cloud-sdk/bin']);
  // kubectl.1.27 / kubectl.1.33 sit next to whichever kubectl is on PATH.
  for (const dir of (process.env.PATH ?? '').split(':')) {
    const candidate = join(dir, 'kubectl');
    if (existsSync(candidate)) dirs.add(dirname(realpathSync(candidate)));
  }
  return [...dirs];
}

/** [version, path] of each kubectl.<version> found. */
export function findKubectls(): Array<[string, string]> {
  const dirs = searchDirs();
  const found: Array<[string, string]> = [];
  for (const version of KUBECTL_VERSIONS) {
    const path = dirs
      .map(d => join(d, `kubectl.${version}`))
      .find(p => existsSync(p));
    if (path) found.push([version, path]);
  }
  return found;
}

export const kubectls = findKubectls();

/**
 * `describe(`${title} <version>`)` once per kubectl version; a version whose binary is missing is
 * declared with describe.skip, so its tests show as skipped with the reason, and the run passes.
 */
export function describeEachKubectl(
  title: string,
  suite: (binary: string) => void,
): void {
  // Each test spawns several kubectl processes; on a loaded 2-core machine one takes seconds, so
  // Jest's 5 s default fails them at random. Every wait inside is on a condition, never the clock.
  jest.setTimeout(120_000);
  for (const version of KUBECTL_VERSIONS) {
    const binary = kubectls.find(([v]) => v === version)?.[1];
    if (binary) {
      describe(`${title} ${version}`, () => {
        suite(binary);
      });
    } else if (process.env.CI === 'true') {
      // In CI a missing prerequisite fails the test file: a skip would let a whole suite go untested.
      throw new Error(
        `${title}: kubectl.${version} is not in ${searchDirs().join(
          ', ',
        )}: install the Google Cloud SDK's kubectl (it ships kubectl.1.27 to kubectl.1.33 beside kubectl) or set KRATIX_TEST_KUBECTL_DIRS`,
      );
    } else {
      const where = searchDirs().join(', ');
      // Skipped on purpose, the reason in the name: the binary is not on this machine.
      // eslint-disable-next-line jest/no-disabled-tests
      describe.skip(`${title} ${version} (SKIPPED: kubectl.${version} not in ${where})`, () => {
        suite(`kubectl.${version}`);
      });
    }
  }
}

const missing = KUBECTL_VERSIONS.filter(v => !kubectls.some(([f]) => f === v));
if (missing.length) {
  // eslint-disable-next-line no-console
  console.warn(
    `!!! kubectl ${missing.join(
      ', ',
    )} not found: those kubectl compatibility tests are SKIPPED !!!`,
  );
}
