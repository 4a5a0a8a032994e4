/* What the browser tests share: waiting for the backend, and collecting the page's errors. */
import { expect, type Page } from '@playwright/test';
import { execFileSync } from 'node:child_process';
import path from 'node:path';

export const backendUrl = process.env.BACKEND_URL ?? 'http://127.0.0.1:7007';

/**
 * Playwright's web server check waits for the frontend only; the backend (and its sandbox) may
 * still be starting. Readiness is eventual by definition, so wait for it rather than assume it.
 */
export async function waitForBackendReady(): Promise<void> {
  await expect
    .poll(
      async () => {
        try {
          const res = await fetch(
            `${backendUrl}/.backstage/health/v1/readiness`,
          );
          return res.status;
        } catch {
          return 0;
        }
      },
      { timeout: 180_000, intervals: [500, 1000, 2000] },
    )
    .toBe(200);
}

/** The page's errors and console errors; React's development "Warning:" lines are left out. */
export function collectPageErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('pageerror', err => errors.push(`pageerror: ${err.message}`));
  page.on('console', msg => {
    // React's development-mode "Warning:" lines come from third-party components.
    if (msg.type() === 'error' && !msg.text().startsWith('Warning:')) {
      errors.push(`console: ${msg.text()}`);
    }
  });
  return errors;
}

const kubeconfig = path.resolve(
  __dirname,
  '../../../.cache/sandbox/kubeconfig',
);

/** kubectl against the running app's sandbox platform: the outside client a platform engineer uses. */
export function kubectl(args: string[], input?: string): string {
  return execFileSync('kubectl', ['--kubeconfig', kubeconfig, ...args], {
    encoding: 'utf8',
    timeout: 30_000,
    input,
  });
}

/**
 * Makes, on the platform side, a jenkins Resource for checkout-service whose workflow fails: the
 * sandbox's jenkins pipeline exits 1 on `sandbox.kratix.io/simulate: fail` (ConfigureWorkflowCompleted
 * False, reason ConfigureWorkflowFailed; PipelinesInProgress while it runs). Bound to the entity by
 * its owner annotation, so it shows on the tab with no annotation change.
 */
export function applyFailingJenkins(name: string): void {
  kubectl(
    ['apply', '-f', '-'],
    JSON.stringify({
      apiVersion: 'marketplace.kratix.io/v1alpha1',
      kind: 'jenkins',
      metadata: {
        name,
        namespace: 'default',
        annotations: {
          'kratix.backstage.io/entity-ref':
            'component:default/checkout-service',
          'kratix.backstage.io/owner': 'team-checkout',
          'sandbox.kratix.io/simulate': 'fail',
        },
      },
      spec: { env: 'dev' },
    }),
  );
}
