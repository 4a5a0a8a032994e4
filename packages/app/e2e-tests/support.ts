/* What the browser tests share: waiting for the backend, and collecting the page's errors. */
import { expect, type Page } from '@playwright/test';

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
