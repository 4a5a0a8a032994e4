/*
 * The Kratix tab against the running app and its sandbox platform: the tutorial's elastic-cloud
 * Resource with its message, extra status and workflow-completion condition, then a change made on
 * the platform side (kubectl) that the tab shows without a reload.
 */
import { test, expect } from '@playwright/test';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { collectPageErrors, waitForBackendReady } from './support';

const repo = path.resolve(__dirname, '../../..');
const screenshotDir = path.join(repo, 'test-output/screenshots');
const kubeconfig = path.join(repo, '.cache/sandbox/kubeconfig');

test.beforeAll(async () => {
  test.setTimeout(200_000);
  await waitForBackendReady();
});

function kubectl(...args: string[]): string {
  return execFileSync('kubectl', ['--kubeconfig', kubeconfig, ...args], {
    encoding: 'utf8',
    timeout: 30_000,
  });
}

test('the Kratix tab shows the elastic-cloud Resource and follows a change live', async ({
  page,
}) => {
  test.setTimeout(120_000);
  const errors = collectPageErrors(page);
  fs.mkdirSync(screenshotDir, { recursive: true });

  await page.goto('/catalog/default/component/search-service/kratix');
  await page.getByRole('button', { name: 'Enter' }).click();

  // The tab opens on the overview; the Resource's detail opens from its row.
  await page.getByRole('row', { name: 'example (elastic-cloud)' }).click();
  await expect(page).toHaveURL(/[?&]resource=/);

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
  kubectl(
    'patch',
    'elastic-cloud',
    'example',
    '--type',
    'merge',
    '-p',
    '{"spec":{"enableDataCollection":false}}',
  );
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
