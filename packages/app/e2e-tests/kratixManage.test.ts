/*
 * The Kratix tab of checkout-service (redis/example, redis/slow-cache, team-database/orders) at
 * 1400×1000: a compact overview that fits about two screens, and a workflow re-run from the tab whose
 * new run appears on the timeline live (the backend records it; the live stream brings the change).
 */
import { test, expect, type Page } from '@playwright/test';
import fs from 'node:fs';
import path from 'node:path';
import { collectPageErrors, waitForBackendReady } from './support';

const repo = path.resolve(__dirname, '../../..');
const screenshotDir = path.join(repo, 'test-output/screenshots');

test.use({ viewport: { width: 1400, height: 1000 } });

test.beforeAll(async () => {
  test.setTimeout(200_000);
  await waitForBackendReady();
});

async function openCheckoutTab(page: Page) {
  await page.goto('/catalog/default/component/checkout-service/kratix');
  await page.getByRole('button', { name: 'Enter' }).click();
  await expect(page.getByTestId('kratix-resource')).toHaveCount(3);
}

/** The height of the whole page, whichever element scrolls. */
const pageHeight = (page: Page) =>
  page.evaluate(() =>
    Math.max(
      document.documentElement.scrollHeight,
      document.body.scrollHeight,
      ...Array.from(document.querySelectorAll('main, main *'))
        .filter(e => getComputedStyle(e).overflowY.match(/auto|scroll/))
        .map(e => e.scrollHeight),
    ),
  );

test('checkout-service opens on a compact overview of about two screens', async ({
  page,
}) => {
  const errors = collectPageErrors(page);
  fs.mkdirSync(screenshotDir, { recursive: true });
  await openCheckoutTab(page);

  const orders = page.getByRole('row', { name: 'orders (team-database)' });
  await expect(orders.getByTestId('kratix-state')).toHaveAttribute(
    'data-state',
    'blocked',
  );
  await expect(
    page
      .getByRole('row', { name: 'example (redis)' })
      .getByTestId('kratix-state'),
  ).toHaveAttribute('data-state', 'ready');

  const height = await pageHeight(page);
  // Where the tab's content ends (the page itself is never shorter than the viewport).
  const contentBottom = await page
    .getByTestId('kratix-content')
    .evaluate(e =>
      Math.round(e.getBoundingClientRect().bottom + window.scrollY),
    );
  test.info().annotations.push({
    type: 'page height (overview)',
    description: `${height}px`,
  });
  await page.screenshot({
    path: path.join(screenshotDir, 'kratix-checkout-overview.png'),
    fullPage: true,
  });
  expect(height).toBeLessThanOrEqual(2000);

  // One Resource open: its detail unfolds under its row.
  await page.getByRole('row', { name: 'example (redis)' }).click();
  await expect(page.getByTestId('kratix-resource-panel')).toBeVisible();
  await expect(page.getByText('connectionDetails')).toBeVisible();
  const detailHeight = await pageHeight(page);
  test.info().annotations.push({
    type: 'page height (redis/example open)',
    description: `${detailHeight}px`,
  });
  await page.screenshot({
    path: path.join(screenshotDir, 'kratix-checkout-redis-open.png'),
    fullPage: true,
  });

  // The blocked Resource says why.
  await orders.click();
  await expect(
    page
      .getByText(
        /Waiting for the Promises that the team-database Promise requires to be installed/,
      )
      .first(),
  ).toBeVisible();
  await page.screenshot({
    path: path.join(screenshotDir, 'kratix-checkout-orders-open.png'),
    fullPage: true,
  });
  fs.writeFileSync(
    path.join(repo, 'test-output/kratix-page-heights.json'),
    JSON.stringify({
      overview: height,
      overviewContentBottom: contentBottom,
      redisExampleOpen: detailHeight,
    }),
  );
  expect(errors).toEqual([]);
});

test('re-running redis/example from the tab puts the new run on its timeline live', async ({
  page,
}) => {
  test.setTimeout(120_000);
  const errors = collectPageErrors(page);
  await openCheckoutTab(page);
  await page.getByRole('row', { name: 'example (redis)' }).click();
  const panel = page.getByTestId('kratix-resource-panel');
  const runsChip = panel.getByText(/ · \d+ workflow runs?$/);
  await expect(runsChip).toBeVisible();
  const runs = async () =>
    Number(
      /· (\d+) workflow run/.exec((await runsChip.textContent()) ?? '')?.[1],
    );
  const before = await runs();
  expect(before).toBeGreaterThanOrEqual(1);

  const rerun = panel.getByRole('button', { name: 'Re-run workflow' });
  await expect(rerun).toBeEnabled();
  await rerun.click();
  await expect(
    page.getByText(/Re-running the workflow of example/),
  ).toBeVisible();
  // No reload: the live stream brings the new run.
  await expect.poll(runs, { timeout: 60_000 }).toBeGreaterThan(before);
  await page.screenshot({
    path: path.join(screenshotDir, 'kratix-checkout-rerun.png'),
    fullPage: true,
  });
  expect(errors).toEqual([]);
});
