import { expect } from '@playwright/test';

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
