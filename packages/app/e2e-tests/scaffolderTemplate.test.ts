/*
 * The Create page against the running app and its sandbox platform: the guest chooses "Request an
 * Elastic Cloud instance", picks one of their own entities (payments-service, which claims no
 * Resource), names the instance, submits, and the task's output page shows what the platform's
 * workflow wrote and links to the entity's Kratix tab, where the new Resource is, open.
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

// A fresh name per run: the sandbox keeps Resources while the app runs.
const name = `e2e-${Date.now().toString(36)}`;

// Leave the app as the other browser tests expect it.
test.afterAll(() => {
  kubectl([
    'delete',
    'elastic-cloud',
    name,
    '--ignore-not-found',
    '--wait=false',
  ]);
});

test('requests an Elastic Cloud instance from the Create page and shows its status', async ({
  page,
}) => {
  test.setTimeout(150_000);
  const errors = collectPageErrors(page);
  fs.mkdirSync(screenshotDir, { recursive: true });
  await page.goto('/create');
  await page.getByRole('button', { name: 'Enter' }).click();
  // The template's card: the nearest element around its title that has a Choose button.
  const card = page
    .getByRole('heading', { name: 'Request an Elastic Cloud instance' })
    .locator('xpath=ancestor::*[.//button[normalize-space()="Choose"]][1]');
  await card.getByRole('button', { name: 'Choose' }).click();

  // Step 1: the entity, from the guest's own entities only.
  const entity = page.getByRole('combobox').first();
  await entity.click();
  await expect(
    page.getByRole('option', { name: /search-service/ }),
  ).toBeVisible();
  await expect(page.getByRole('option', { name: /ci-platform/ })).toHaveCount(
    0,
  );
  await page.getByRole('option', { name: /payments-service/ }).click();
  await page.getByRole('button', { name: 'Next' }).click();

  // Step 2: the Promise's fields.
  await page.getByLabel('Name').fill(name);
  await page.getByLabel('Enable data collection').check();
  await page.getByRole('button', { name: 'Review' }).click();
  await page.getByRole('button', { name: 'Create' }).click();

  // The output page's text box (the task log beside it says the same things).
  const output = page.getByTestId('text-output-box');
  await expect(
    output.getByText(
      `Instance ${name} provisioned with preconfigured system metrics`,
    ),
  ).toBeVisible({ timeout: 60_000 });
  await expect(output.getByText(`${name}-es-elastic-user`)).toBeVisible();
  const link = page.getByRole('link', { name: "Open the entity's Kratix tab" });
  // The tab with the new Resource open: kratix-common's one link format.
  const tab = `/catalog/default/component/payments-service/kratix?resource=${encodeURIComponent(
    `sandbox/default/elastic-cloud/${name}`,
  )}`;
  await expect(link).toHaveAttribute('href', new RegExp(`${escape(tab)}$`));
  await page.screenshot({
    path: path.join(screenshotDir, 'scaffolder-elastic-cloud.png'),
    fullPage: true,
  });

  // Followed (it opens a new tab in the app; here, the same page), it lands on that Resource: the
  // entity's tab lists it though the entity's annotations name nothing.
  await page.goto(tab);
  await expect(
    page.getByRole('row', { name: `${name} (elastic-cloud)` }),
  ).toBeVisible();
  await expect(
    page
      .getByTestId('kratix-resource-panel')
      .getByRole('heading', { name, exact: true }),
  ).toBeVisible();
  expect(errors).toEqual([]);
});

/** A string matched literally inside a RegExp. */
function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
