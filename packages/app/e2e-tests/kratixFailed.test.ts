/*
 * A Resource whose workflow fails leads with why, in its row and at the top of its detail: the
 * failing condition's message, not Kratix's "Pending" placeholder. The platform side makes one
 * (kubectl, as a platform engineer would) for checkout-service, bound by its owner annotation, so
 * it shows on the tab with no annotation change on the entity.
 */
import { test, expect } from '@playwright/test';
import fs from 'node:fs';
import path from 'node:path';
import {
  applyFailingJenkins,
  collectPageErrors,
  kubectl,
  waitForBackendReady,
} from './support';

const repo = path.resolve(__dirname, '../../..');
const screenshotDir = path.join(repo, 'test-output/screenshots');
const name = `failing-${Date.now().toString(36)}`;

test.beforeAll(async () => {
  test.setTimeout(200_000);
  await waitForBackendReady();
});

test.afterAll(() => {
  kubectl(['delete', 'jenkins', name, '--ignore-not-found', '--wait=false']);
});

test("a failed Resource's row and detail lead with the failing condition's message", async ({
  page,
}) => {
  test.setTimeout(150_000);
  const errors = collectPageErrors(page);
  fs.mkdirSync(screenshotDir, { recursive: true });

  applyFailingJenkins(name);
  // What the platform says went wrong, read the way kubectl reads it.
  let failing = '';
  await expect
    .poll(
      () => {
        failing = kubectl([
          'get',
          'jenkins',
          name,
          '-o',
          'jsonpath={.status.conditions[?(@.type=="ConfigureWorkflowCompleted")].reason}/{.status.conditions[?(@.type=="ConfigureWorkflowCompleted")].message}',
        ]);
        return failing.split('/')[0];
      },
      { timeout: 60_000 },
    )
    .toBe('ConfigureWorkflowFailed');
  const message = failing.slice('ConfigureWorkflowFailed/'.length);
  // The reason starts with the platform's words (the condition's name may follow).
  const leadsWithMessage = new RegExp(
    `^${message.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`,
  );
  expect(message).not.toBe('');

  await page.goto('/catalog/default/component/checkout-service/kratix');
  await page.getByRole('button', { name: 'Enter' }).click();
  const row = page.getByRole('row', { name: `${name} (jenkins)` });
  await expect(row.getByTestId('kratix-row-reason')).toHaveText(
    leadsWithMessage,
  );
  await expect(row.getByTestId('kratix-state')).toHaveAttribute(
    'data-state',
    'failed',
  );

  // Its detail leads with the same reason. (The tab opens the first failed Resource by itself;
  // another seeded one may fail first, so open this one if it is not.)
  const panel = page
    .getByTestId('kratix-resource-panel')
    .filter({ hasText: name });
  if ((await row.getAttribute('aria-expanded')) !== 'true') await row.click();
  const reason = panel.getByTestId('kratix-state-reason');
  await expect(reason.getByText('Why it is failed')).toBeVisible();
  await expect(reason.locator('p').first()).toHaveText(leadsWithMessage);
  await page.screenshot({
    path: path.join(screenshotDir, 'tab-failed-resource.png'),
    fullPage: true,
  });
  expect(errors).toEqual([]);
});
