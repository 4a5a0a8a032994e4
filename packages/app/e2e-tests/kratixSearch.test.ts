/*
 * Portal search finds Kratix Resources: "elastic" on the search page finds the tutorial's
 * elastic-cloud Resource, and its result leads to the Resource in the portal: the Kratix tab of the
 * entity it belongs to (search-service), with that Resource open — its name, Promise and status.
 */
import { test, expect } from '@playwright/test';
import fs from 'node:fs';
import path from 'node:path';
import { collectPageErrors, waitForBackendReady } from './support';

const screenshotDir = path.resolve(
  __dirname,
  '../../../test-output/screenshots',
);

test.beforeAll(async () => {
  test.setTimeout(200_000);
  await waitForBackendReady();
});

test('searching "elastic" finds the elastic-cloud Resource and opens it in its entity’s Kratix tab', async ({
  page,
}) => {
  test.setTimeout(150_000);
  const errors = collectPageErrors(page);
  fs.mkdirSync(screenshotDir, { recursive: true });

  await page.goto('/search');
  await page.getByRole('button', { name: 'Enter' }).click();
  await page.getByRole('textbox').first().fill('elastic');

  // The collator indexes shortly after the backend starts (and every 30 s in app-config.yaml):
  // search afresh until the Resource is in the index.
  const result = page.getByRole('link', { name: /example.*elastic-cloud/ });
  await expect(async () => {
    await page.goto('/search?query=elastic');
    await expect(result.first()).toBeVisible({ timeout: 5_000 });
  }).toPass({ timeout: 120_000, intervals: [2_000, 5_000] });
  await expect(
    page.getByTestId('kratix-search-resource').first(),
  ).toContainText(
    'Instance example provisioned with preconfigured system metrics',
  );
  // Until the first collation, the search backend answers 500 (MissingIndexError) to the page's
  // queries: expected while waiting, so only what happens from here on must be clean.
  errors.length = 0;
  await page.screenshot({
    path: path.join(screenshotDir, 'kratix-search.png'),
    fullPage: true,
  });

  // The result links to where the Resource lives in the portal: search-service's Kratix tab, with
  // this Resource selected (the entity claims it and the platform confirms the link).
  const tab = '/catalog/default/component/search-service/kratix';
  const selected = 'sandbox/default/elastic-cloud/example';
  await expect(result.first()).toHaveAttribute(
    'href',
    `${tab}?resource=${encodeURIComponent(selected)}`,
  );
  await result.first().click();
  await expect(page).toHaveURL(
    url =>
      url.pathname === tab && url.searchParams.get('resource') === selected,
  );

  // The page it lands on shows that Resource: its name, its Promise, its status.
  const panel = page.getByTestId('kratix-resource-panel');
  await expect(
    panel.getByRole('heading', { name: 'example', exact: true }),
  ).toBeVisible();
  // The Promise, named once (its kind is in the chip beside the name).
  await expect(
    panel.getByText('elastic-cloud', { exact: true }).first(),
  ).toBeVisible();
  await expect(panel.getByText('elastic-cloud (elastic-cloud)')).toHaveCount(0);
  await expect(panel.getByTestId('kratix-status-message')).toHaveText(
    'Instance example provisioned with preconfigured system metrics',
  );
  await expect(panel.getByTestId('kratix-state')).toHaveAttribute(
    'data-state',
    'ready',
  );
  await expect(panel.getByTestId('kratix-state')).toHaveText('Ready');
  expect(errors).toEqual([]);
});
