/* Finds the real kubectl binaries the machine ships, for the kubectl compatibility tests. */
import { existsSync, realpathSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** kubectl.1.27 / kubectl.1.33 next to whichever kubectl is on PATH (gcloud SDK layout). */
export function findKubectls(): Array<[string, string]> {
  const dirs = new Set(['/usr/lib/google-cloud-sdk/bin']);
  for (const dir of (process.env.PATH ?? '').split(':')) {
    const candidate = join(dir, 'kubectl');
    if (existsSync(candidate)) dirs.add(dirname(realpathSync(candidate)));
  }
  const found: Array<[string, string]> = [];
  for (const version of ['1.27', '1.33']) {
    const path = [...dirs]
      .map(d => join(d, `kubectl.${version}`))
      .find(p => existsSync(p));
    if (path) found.push([version, path]);
  }
  return found;
}

export const kubectls = findKubectls();
if (!kubectls.length) {
  // eslint-disable-next-line no-console
  console.warn(
    '!!! kubectl.1.27 / kubectl.1.33 not found: the kubectl compatibility tests are SKIPPED !!!',
  );
}
