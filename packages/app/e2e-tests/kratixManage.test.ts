/*
 * The Kratix tab of checkout-service (redis/example, redis/slow-cache, team-database/orders) at
 * 1400×1000: a compact overview that fits about two screens; a workflow re-run from the tab, confirmed
 * first, whose new run appears on the timeline live (the backend records it; the live stream brings
 * the change); the spec editor offering the Redis Promise's sizes as choices (its schema says
 * `pattern: ^(small|large)$`); and re-run disabled, with the reason, on the blocked Resource.
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

/**
 * Opens one Resource's detail (unless it is open already: a click would close it) and returns its
 * panel; other Resources' panels may be open too, so the panel is the one headed by its name.
 */
async function openResource(page: Page, row: string, name: string) {
  const header = page.getByRole('row', { name: row });
  if ((await header.getAttribute('aria-expanded')) !== 'true') {
    await header.click();
  }
  const panel = page.getByTestId('kratix-resource-panel').filter({
    has: page.getByRole('heading', { level: 3, name, exact: true }),
  });
  await expect(panel).toBeVisible();
  return panel;
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
  const panel = await openResource(page, 'example (redis)', 'example');
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
  // Re-running starts work: the tab asks first, and says what will happen.
  const confirm = page.getByRole('dialog');
  await expect(confirm).toContainText(
    'Re-run the workflow of redis default/example?',
  );
  await confirm.getByRole('button', { name: 'Re-run workflow' }).click();
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

test('Edit spec offers the Redis sizes small and large as choices, and saves', async ({
  page,
}) => {
  const errors = collectPageErrors(page);
  await openCheckoutTab(page);
  const panel = await openResource(page, 'example (redis)', 'example');
  const edit = panel.getByRole('button', { name: 'Edit spec' });
  await expect(edit).toBeEnabled();
  await edit.click();

  const editor = page.getByRole('dialog');
  await expect(editor).toContainText('Edit the spec of redis default/example');
  // A choice, not a text field showing the Promise's regular expression.
  const size = editor.getByRole('button', { name: /Size/ });
  await expect(size).toHaveText('small');
  await expect(editor).not.toContainText('small|large');
  await size.click();
  const options = page.getByRole('listbox').getByRole('option');
  await expect(options).toHaveText(['small', 'large']);
  await options.filter({ hasText: 'large' }).click();
  await expect(size).toHaveText('large');
  await page.screenshot({
    path: path.join(screenshotDir, 'kratix-edit-spec-size.png'),
  });

  // Save the spec as it was (small), so the example stays as seeded for the other tests.
  await size.click();
  await page
    .getByRole('listbox')
    .getByRole('option')
    .filter({ hasText: 'small' })
    .click();
  await expect(size).toHaveText('small');
  const save = editor.getByRole('button', { name: 'Save' });
  await expect(save).toBeEnabled();
  await save.click();
  await expect(page.getByText(/Saved the spec of example/)).toBeVisible();
  await expect(page.getByRole('dialog')).toHaveCount(0);
  expect(errors).toEqual([]);
});

test('re-run is disabled on the blocked orders Resource, saying why', async ({
  page,
}) => {
  const errors = collectPageErrors(page);
  await openCheckoutTab(page);
  const panel = await openResource(page, 'orders (team-database)', 'orders');
  const rerun = panel.getByRole('button', { name: 'Re-run workflow' });
  await expect(rerun).toBeDisabled();
  // A disabled button shows no tooltip itself: the span around it does.
  await rerun.locator('xpath=..').hover();
  await expect(page.getByRole('tooltip')).toContainText(
    /^Blocked: the team-database Promise is not available.*Kratix runs no workflow until it is$/,
  );
  // What can still apply stays enabled.
  await expect(panel.getByRole('button', { name: 'Edit spec' })).toBeEnabled();
  expect(errors).toEqual([]);
});
