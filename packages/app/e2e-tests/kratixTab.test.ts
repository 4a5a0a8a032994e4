/*
 * The Kratix tab against the running app and its sandbox platform: the tutorial's elastic-cloud
 * Resource with its message, extra status and workflow-completion condition, then a change made on
 * the platform side (kubectl) that the tab shows without a reload; then where it landed: its Work
 * placed on the dev Destination, and misplaced, live, once kubectl relabels that Destination.
 */
import { test, expect } from '@playwright/test';
import fs from 'node:fs';
import path from 'node:path';
import { collectPageErrors, kubectl, waitForBackendReady } from './support';

const repo = path.resolve(__dirname, '../../..');
const screenshotDir = path.join(repo, 'test-output/screenshots');

test.beforeAll(async () => {
  test.setTimeout(200_000);
  await waitForBackendReady();
});

test('the Kratix tab shows the elastic-cloud Resource and follows a change live', async ({
  page,
}) => {
  test.setTimeout(120_000);
  const errors = collectPageErrors(page);
  fs.mkdirSync(screenshotDir, { recursive: true });

  await page.goto('/catalog/default/component/search-service/kratix');
  await page.getByRole('button', { name: 'Enter' }).click();

  // search-service has one Resource: the tab opens it expanded, with everything, without a click.
  await expect(
    page.getByRole('row', { name: 'example (elastic-cloud)' }),
  ).toBeVisible();

  const message =
    'Instance example provisioned with preconfigured system metrics';
  await expect(page.getByText(message, { exact: true }).first()).toBeVisible();
  await expect(page.getByText('initialLoginDetails')).toBeVisible();
  await expect(page.getByText('elastic', { exact: true })).toBeVisible();
  // The workflow-completion condition on the timeline's time axis. (Its earlier False transition
  // is there only if the backend was already watching when the seeded workflow ran.)
  await expect(
    page.getByRole('img', { name: 'PipelineCompleted: True' }),
  ).toBeVisible();
  await expect(page.getByText('1 workflow run')).toBeVisible();
  await page.screenshot({
    path: path.join(screenshotDir, 'kratix-tab.png'),
    fullPage: true,
  });

  // The platform side changes the request: a new generation runs the workflow again.
  kubectl([
    'patch',
    'elastic-cloud',
    'example',
    '--type',
    'merge',
    '-p',
    '{"spec":{"enableDataCollection":false}}',
  ]);
  await expect(page.getByText('2 workflow runs')).toBeVisible({
    timeout: 30_000,
  });
  await expect(page.getByText(message, { exact: true }).first()).toBeVisible();
  await page.screenshot({
    path: path.join(screenshotDir, 'kratix-tab-after-change.png'),
    fullPage: true,
  });

  expect(errors).toEqual([]);
});

test('the elastic-cloud Resource shows where it landed, and a relabelled Destination live', async ({
  page,
}) => {
  test.setTimeout(120_000);
  const errors = collectPageErrors(page);
  fs.mkdirSync(screenshotDir, { recursive: true });

  await page.goto('/catalog/default/component/search-service/kratix');
  await page.getByRole('button', { name: 'Enter' }).click();
  // Open without a click: search-service's one Resource starts expanded.

  const graph = page.getByRole('figure', { name: 'Where it landed' });
  await expect(graph).toBeVisible();
  const dev = graph.getByRole('group', {
    name: 'Destination dev',
    exact: true,
  });
  await expect(dev).toBeVisible();
  await expect(
    page.locator('[data-testid="kratix-landed-edge"][data-state="placed"]'),
  ).toHaveCount(1);
  await expect(page.getByRole('table', { name: 'Placements' })).toContainText(
    'BucketStateStore',
  );
  await page.screenshot({
    path: path.join(screenshotDir, 'kratix-where-it-landed.png'),
    fullPage: true,
  });

  // The platform side relabels the Destination: Kratix misplaces the Work, and the tab follows.
  kubectl([
    'label',
    'destination',
    'dev',
    'environment=staging',
    '--overwrite',
  ]);
  try {
    await expect(
      page.locator(
        '[data-testid="kratix-landed-edge"][data-state="misplaced"]',
      ),
    ).toHaveCount(1, { timeout: 30_000 });
    await expect(graph.getByText('misplaced', { exact: true })).toBeVisible();
    // Laid out on its edge, not left at the graph's origin.
    await expect(
      page.locator('[data-testid="label"]:has([data-state="misplaced"])'),
    ).not.toHaveAttribute('transform', 'translate(0,0)');
    await expect(page.getByTestId('kratix-works-alert')).toContainText(
      "Destination dev's labels (environment=staging) no longer match",
    );
    // The overview row says so too: this Resource is Ready on pre-WorksSucceeded Kratix.
    await expect(
      page
        .getByRole('row', { name: 'example (elastic-cloud)' })
        .getByTestId('kratix-works-badge'),
    ).toHaveAttribute('data-state', 'misplaced');
    await page.screenshot({
      path: path.join(screenshotDir, 'kratix-where-it-landed-misplaced.png'),
      fullPage: true,
    });
  } finally {
    kubectl(['label', 'destination', 'dev', 'environment=dev', '--overwrite']);
  }
  // Labels that match again: Ready again, as Kratix reports it.
  await expect(
    page.locator('[data-testid="kratix-landed-edge"][data-state="placed"]'),
  ).toHaveCount(1, { timeout: 30_000 });
  await expect(page.getByTestId('kratix-works-badge')).toHaveCount(0);

  expect(errors).toEqual([]);
});
