/*
 * The plugin's own pages against the running app and its sandbox platform, signed in as the guest:
 * the /kratix index of Promises, a Promise's page with the Resources the guest may see, a Resource's
 * page (the tab's detail) reached from it, and the sandbox's team-database Promise, Unavailable
 * because the postgresql Promise it requires is not installed (seed/promises/team-database.yaml).
 * At both window sizes no page scrolls sideways; screenshots of each page at each size are saved.
 */
import { test, expect, type Page } from '@playwright/test';
import fs from 'node:fs';
import path from 'node:path';
import { collectPageErrors, waitForBackendReady } from './support';

const screenshotDir = path.resolve(
  __dirname,
  '../../../test-output/screenshots',
);

const SIZES = [
  { width: 1400, height: 1000 },
  { width: 1024, height: 800 },
];

test.beforeAll(async () => {
  test.setTimeout(200_000);
  await waitForBackendReady();
  fs.mkdirSync(screenshotDir, { recursive: true });
});

/** Opens `url` as the guest (the sign-in page comes first, then the app shows `url`). */
async function openAsGuest(page: Page, url: string) {
  await page.goto(url);
  await page.getByRole('button', { name: 'Enter' }).click();
}

/** How far the page is wider than the window (0: no sideways scroll). */
async function sidewaysOverflow(page: Page): Promise<number> {
  return page.evaluate(
    () =>
      document.documentElement.scrollWidth -
      document.documentElement.clientWidth,
  );
}

async function shoot(page: Page, name: string, width: number) {
  await page.screenshot({
    path: path.join(screenshotDir, `pages-${name}-${width}.png`),
    fullPage: true,
  });
}

test('/kratix lists the Promises, each linking to its page', async ({
  page,
}) => {
  const errors = collectPageErrors(page);
  await openAsGuest(page, '/kratix');
  const table = page.getByRole('table', { name: 'Kratix Promises' });
  for (const name of ['redis', 'jenkins', 'elastic-cloud', 'team-database']) {
    await expect(table.getByRole('link', { name, exact: true })).toBeVisible();
  }
  const teamDatabase = table.locator('[data-promise="team-database"]');
  await expect(teamDatabase.getByTestId('kratix-promise-status')).toHaveText(
    'Unavailable',
  );
  await table.getByRole('link', { name: 'redis', exact: true }).click();
  await expect(page).toHaveURL(/\/kratix\/promises\/sandbox\/redis$/);
  await expect(page.getByTestId('kratix-promise-page')).toBeVisible();
  expect(errors).toEqual([]);
});

for (const size of SIZES) {
  test(`the Kratix pages fit a ${size.width}×${size.height} window`, async ({
    page,
  }) => {
    test.setTimeout(120_000);
    const errors = collectPageErrors(page);
    await page.setViewportSize(size);
    await openAsGuest(page, '/kratix');
    await expect(page.getByTestId('kratix-promise-row').first()).toBeVisible();
    expect(await sidewaysOverflow(page)).toBeLessThanOrEqual(0);
    await shoot(page, 'index', size.width);

    await page.goto('/kratix/promises/sandbox/redis');
    await expect(
      page.getByTestId('kratix-promise-resource').first(),
    ).toBeVisible();
    // Backstage's LinkButton: an anchor with the button role.
    await expect(
      page.getByRole('button', { name: /^Request:/ }).first(),
    ).toHaveAttribute('href', /^\/create\/templates\//);
    expect(await sidewaysOverflow(page)).toBeLessThanOrEqual(0);
    await shoot(page, 'promise', size.width);

    await page.goto('/kratix/promises/sandbox/team-database');
    await expect(page.getByTestId('kratix-promise-unavailable')).toBeVisible();
    // Everything loaded before the picture: its Resource and its (disabled) Request button.
    await expect(
      page.getByTestId('kratix-promise-resource').first(),
    ).toBeVisible();
    await expect(
      page.getByRole('button', { name: /^Request:/ }).first(),
    ).toBeDisabled();
    expect(await sidewaysOverflow(page)).toBeLessThanOrEqual(0);
    await shoot(page, 'promise-unavailable', size.width);

    await page.goto('/kratix/resources/sandbox/default/redis/example');
    const panel = page.getByTestId('kratix-resource-panel');
    await expect(panel.getByText('Timeline').first()).toBeVisible();
    await expect(panel.getByText('Where it landed').first()).toBeVisible();
    expect(await sidewaysOverflow(page)).toBeLessThanOrEqual(0);
    await shoot(page, 'resource', size.width);

    expect(errors).toEqual([]);
  });
}

test("a Resource link on the Promise page opens that Resource's detail, and leads back to its entity's tab", async ({
  page,
}) => {
  const errors = collectPageErrors(page);
  await openAsGuest(page, '/kratix/promises/sandbox/redis');
  const list = page.getByRole('table', { name: 'Resources of this Promise' });
  await list.getByRole('link', { name: 'slow-cache', exact: true }).click();

  await expect(page).toHaveURL(
    /\/kratix\/resources\/sandbox\/default\/redis\/slow-cache$/,
  );
  const resourcePage = page.getByTestId('kratix-resource-page');
  // The tab's whole detail, open: its header names this Resource, its conditions are shown.
  const panel = resourcePage.getByTestId('kratix-resource-panel');
  await expect(
    panel.getByRole('heading', { name: 'slow-cache', exact: true }),
  ).toBeVisible();
  await expect(panel.getByText('Conditions').first()).toBeVisible();

  // Back to checkout-service's tab, which opens the same Resource expanded.
  await resourcePage
    .getByRole('link', { name: 'component:default/checkout-service' })
    .click();
  await expect(page).toHaveURL(
    /\/catalog\/default\/component\/checkout-service\/kratix\?resource=sandbox%2Fdefault%2Fredis%2Fslow-cache$/,
  );
  const row = page.locator(
    '[data-resource="sandbox/default/redis/slow-cache"]',
  );
  await expect(row).toHaveAttribute('aria-expanded', 'true');
  expect(errors).toEqual([]);
});

test('an Unavailable Promise says why, and cannot be requested', async ({
  page,
}) => {
  const errors = collectPageErrors(page);
  await openAsGuest(page, '/kratix/promises/sandbox/team-database');
  await expect(page.getByTestId('kratix-promise-unavailable')).toContainText(
    'It needs the postgresql Promise, not installed on sandbox.',
  );
  const request = page.getByRole('button', { name: /^Request:/ });
  await expect(request.first()).toBeVisible();
  for (const button of await request.all()) {
    await expect(button).toBeDisabled();
  }
  // Nothing to follow to the Create page either.
  await expect(page.locator('a', { hasText: /^Request:/ })).toHaveCount(0);
  expect(errors).toEqual([]);
});
