/*
 * The Create page as a team uses it (issue 23 finding 8), against the running app and its sandbox:
 * each Promise is offered once (the curated Redis template, not also the generated one); the
 * sandbox's team-database Promise, Unavailable because the postgresql Promise it requires is not
 * installed, is marked and its form does not go on; and a name that is taken is refused, in words,
 * while the form is filled in, before anything is created.
 */
import { test, expect, type Page } from '@playwright/test';
import fs from 'node:fs';
import path from 'node:path';
import { collectPageErrors, waitForBackendReady } from './support';

const repo = path.resolve(__dirname, '../../..');
const screenshotDir = path.join(repo, 'test-output/screenshots');
const RULE =
  "Use lowercase letters, digits and '-', starting and ending with a letter or digit, at most 63 characters";

test.beforeAll(async () => {
  test.setTimeout(200_000);
  await waitForBackendReady();
  fs.mkdirSync(screenshotDir, { recursive: true });
});

async function openCreatePage(page: Page) {
  await page.goto('/create');
  await page.getByRole('button', { name: 'Enter' }).click();
  await expect(
    page.getByRole('heading', { name: 'Request a Redis instance' }),
  ).toBeVisible({ timeout: 30_000 });
}

/** The card of a template: the nearest element around its title that has a Choose button. */
function card(page: Page, title: string | RegExp) {
  return page
    .getByRole('heading', { name: title })
    .locator('xpath=ancestor::*[.//button[normalize-space()="Choose"]][1]');
}

/** The Resource's name (the generated templates also have a Namespace field). */
const nameField = (page: Page) =>
  page.getByRole('textbox', { name: 'Name', exact: true });

async function pickEntity(page: Page, name: string) {
  await page.getByRole('combobox').first().click();
  await page.getByRole('option', { name: new RegExp(name) }).click();
}

test('offers each Promise once: a curated template replaces the generated one', async ({
  page,
}) => {
  test.setTimeout(150_000);
  await openCreatePage(page);
  // The provider reads the curated templates at each full run (every minute): eventually consistent.
  await expect
    .poll(
      async () => {
        await page.reload();
        await expect(
          page.getByRole('heading', { name: 'Request a Redis instance' }),
        ).toBeVisible();
        return page.getByRole('heading', { name: /redis/i }).count();
      },
      { timeout: 120_000, intervals: [2_000, 5_000] },
    )
    .toBe(1);
  await expect(page.getByRole('heading', { name: /elastic/i })).toHaveCount(1);
  // Promises with no curated template keep their generated one.
  await expect(page.getByRole('heading', { name: 'jenkins' })).toHaveCount(1);
  await page.screenshot({
    path: path.join(screenshotDir, 'create-page.png'),
    fullPage: true,
  });
});

test('an Unavailable Promise is marked, and its form does not go on', async ({
  page,
}) => {
  test.setTimeout(120_000);
  const errors = collectPageErrors(page);
  await openCreatePage(page);
  const teamDb = card(page, 'TeamDatabase (Unavailable)');
  await expect(teamDb).toContainText(
    'Unavailable: Requirements not fulfilled; it requires postgresql',
  );
  await teamDb.getByRole('button', { name: 'Choose' }).click();

  const reason =
    'The team-database Promise is Unavailable: Requirements not fulfilled; it requires postgresql. It cannot be requested until the platform team makes it Available.';
  // Said as soon as the form opens, before anything is typed.
  await expect(page.getByText(reason)).toBeVisible();
  await pickEntity(page, 'search-service');
  await nameField(page).fill('orders-e2e');
  await page.getByRole('button', { name: 'Next' }).click();
  // Still on the first page, saying why (the form's summary names the field).
  await expect(page.getByText(`'Name' ${reason}`)).toBeVisible();
  await expect(nameField(page)).toBeVisible();
  await expect(page.getByRole('button', { name: 'Review' })).toHaveCount(0);
  await page.screenshot({
    path: path.join(screenshotDir, 'create-unavailable-promise.png'),
    fullPage: true,
  });
  expect(errors).toEqual([]);
});

test('a taken name is refused in words while the form is filled in', async ({
  page,
}) => {
  test.setTimeout(120_000);
  const errors = collectPageErrors(page);
  await openCreatePage(page);
  await card(page, 'Request a Redis instance')
    .getByRole('button', { name: 'Choose' })
    .click();
  // The owner of a request is a Component: no Systems or Resource entities are offered.
  await page.getByRole('combobox').first().click();
  await expect(
    page.getByRole('option', { name: /search-service/ }),
  ).toBeVisible();
  // Each option carries its entity reference: Components only.
  const refs = await page
    .getByRole('listbox')
    .locator('[title]')
    .evaluateAll(els => els.map(e => e.getAttribute('title') ?? ''));
  expect(refs.length).toBeGreaterThan(0);
  for (const ref of refs) expect(ref).toMatch(/^component:/);
  await page.getByRole('option', { name: /search-service/ }).click();
  await page.getByRole('button', { name: 'Next' }).click();

  const name = nameField(page);
  // The rule in words, once; never the pattern.
  await expect(page.getByText(`${RULE}.`)).toHaveCount(1);
  await expect(page.locator('body')).not.toContainText('^[a-z0-9]');

  // A malformed name is refused as it is typed.
  await name.fill('My_Cache');
  await expect(page.getByText(`${RULE} (it has "M", "_", "C").`)).toBeVisible();

  // The seeded Redis "example" exists: leaving the field asks the platform.
  const taken =
    '"example" is already taken in namespace default for redis. Choose another name.';
  await name.fill('example');
  await name.blur();
  await expect(page.getByText(taken)).toBeVisible();
  await page.screenshot({
    path: path.join(screenshotDir, 'create-taken-name.png'),
    fullPage: true,
  });
  // Moving on is refused with the same words; nothing was created.
  await page.getByRole('button', { name: 'Review' }).click();
  // The form's own summary of what stops it (shown once the validation has answered).
  await expect(page.getByText(`'Name' ${taken}`)).toBeVisible();
  await expect(page.getByRole('button', { name: 'Create' })).toHaveCount(0);

  // A free name goes on to the review.
  await name.fill(`e2e-${Date.now().toString(36)}`);
  await page.getByRole('button', { name: 'Review' }).click();
  await expect(page.getByRole('button', { name: 'Create' })).toBeVisible();
  // The browser logs the dry run's 409 itself: that answer is the check, not a failure.
  expect(errors.filter(e => !e.includes('status of 409 (Conflict)'))).toEqual(
    [],
  );
});
