/*
 * Kratix's notifications in the app (issue 25), against the running app and its sandbox platform:
 * the guest requests a Redis for checkout-service through the "Request a Redis instance" template;
 * once the platform's workflow completes, the notifications page shows "redis <name> is ready" with
 * the Resource's status message (as the platform wrote it), and its link opens checkout-service's
 * Kratix tab with that Resource open.
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

// A fresh name per run: the sandbox keeps Resources while the app runs, and each Resource has its
// own notification.
const name = `notif-${Date.now().toString(36)}`;

// Leave checkout-service's tab as the other browser tests expect it.
test.afterAll(() => {
  kubectl(['delete', 'redis', name, '--ignore-not-found', '--wait=false']);
});

test('a Redis requested through the template notifies the guest, and the link opens it on the tab', async ({
  page,
}) => {
  test.setTimeout(180_000);
  const errors = collectPageErrors(page);
  fs.mkdirSync(screenshotDir, { recursive: true });

  await page.goto('/create');
  await page.getByRole('button', { name: 'Enter' }).click();
  // The template's card: the nearest element around its title that has a Choose button.
  await page
    .getByRole('heading', { name: 'Request a Redis instance' })
    .locator('xpath=ancestor::*[.//button[normalize-space()="Choose"]][1]')
    .getByRole('button', { name: 'Choose' })
    .click();
  // The template's form, before its entity picker (the list page has a combobox too).
  await expect(page).toHaveURL(/\/create\/templates\/default\/kratix-redis/);
  await page.getByRole('combobox').first().click();
  await page.getByRole('option', { name: /checkout-service/ }).click();
  await page.getByRole('button', { name: 'Next' }).click();
  await page.getByRole('textbox', { name: 'Name', exact: true }).fill(name);
  await page.getByRole('button', { name: 'Review' }).click();
  await page.getByRole('button', { name: 'Create' }).click();
  // The template's wait step returns once the platform's workflow has completed.
  await expect(
    page.getByRole('link', { name: "Open the entity's Kratix tab" }),
  ).toBeVisible({ timeout: 90_000 });

  // What the platform wrote, read the way a platform engineer would: the notification carries it.
  const message = kubectl([
    'get',
    'redis',
    name,
    '--namespace',
    'default',
    '--output',
    'jsonpath={.status.message}',
  ]).trim();
  expect(message).not.toBe('');

  await page.goto('/notifications');
  // The page lists five at a time, newest first: the search box keeps this one on the page whatever
  // else arrives meanwhile.
  await page.getByPlaceholder('Filter').fill(name);
  const title = `redis ${name} is ready`;
  // The notifications table's row (a snackbar may show the same title while it is new).
  const row = page
    .getByRole('row')
    .filter({ has: page.getByRole('link', { name: title, exact: true }) });
  await expect(row).toHaveCount(1, { timeout: 60_000 });
  await expect(row).toContainText(message);
  // Its origin and topic: what the user's notification settings turn off.
  await expect(row).toContainText('plugin:kratix');
  await expect(row).toContainText('Resource ready');
  await page.screenshot({
    path: path.join(screenshotDir, 'kratix-notification.png'),
    fullPage: true,
  });

  // The link: checkout-service's Kratix tab, opened on the Resource (kratix-common's link format).
  const tab = `/catalog/default/component/checkout-service/kratix?resource=${encodeURIComponent(
    `sandbox/default/redis/${name}`,
  )}`;
  const link = row.getByRole('link', { name: title, exact: true });
  await expect(link).toHaveAttribute('href', tab);
  await link.click();
  await expect(page).toHaveURL(new RegExp(`${escape(tab)}$`));
  // checkout-service has several Resources: this one is the one open, its detail shown.
  const resourceRow = page.getByRole('row', {
    name: `${name} (redis)`,
    exact: true,
  });
  await expect(resourceRow).toHaveAttribute('aria-expanded', 'true');
  await expect(
    page
      .getByTestId('kratix-resource-panel')
      .getByRole('heading', { name, exact: true }),
  ).toBeVisible();
  await expect(
    page.getByRole('row', { name: 'example (redis)', exact: true }),
  ).toHaveAttribute('aria-expanded', 'false');
  await page.screenshot({
    path: path.join(screenshotDir, 'kratix-notification-link.png'),
    fullPage: true,
  });
  expect(errors).toEqual([]);
});

/** A string matched literally inside a RegExp. */
function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
