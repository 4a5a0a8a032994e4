import { test, expect } from '@playwright/test';
import { PNG } from 'pngjs';
import fs from 'node:fs';
import path from 'node:path';
import { backendUrl, collectPageErrors, waitForBackendReady } from './support';

const screenshotDir = path.resolve(
  __dirname,
  '../../../test-output/screenshots',
);

/** A rendered page has many colours; a blank or crashed one has one or two. */
function distinctColours(png: PNG): number {
  const colours = new Set<number>();
  for (let i = 0; i < png.data.length; i += 4 * 7) {
    colours.add(png.data.readUInt32BE(i));
  }
  return colours.size;
}

test.beforeAll(async () => {
  test.setTimeout(200_000);
  await waitForBackendReady();
});

test('the backend answers its readiness check', async ({ request }) => {
  const response = await request.get(
    `${backendUrl}/.backstage/health/v1/readiness`,
  );
  expect(response.status()).toBe(200);
});

test('the catalog page renders after guest sign-in', async ({ page }) => {
  const errors = collectPageErrors(page);
  await page.goto('/');

  await page.getByRole('button', { name: 'Enter' }).click();

  const nav = page.getByRole('navigation', { name: 'sidebar nav' });
  await expect(
    nav.getByRole('link', { name: 'Catalog', exact: true }),
  ).toBeVisible();
  // The catalog table lists the example entities the backend ingested.
  await expect(
    page.getByRole('link', { name: 'search-service' }),
  ).toBeVisible();

  fs.mkdirSync(screenshotDir, { recursive: true });
  const file = path.join(screenshotDir, 'catalog.png');
  const shot = await page.screenshot({ path: file, fullPage: true });
  const png = PNG.sync.read(shot);
  expect(png.width).toBeGreaterThanOrEqual(800);
  expect(distinctColours(png)).toBeGreaterThan(20);

  expect(errors).toEqual([]);
});
