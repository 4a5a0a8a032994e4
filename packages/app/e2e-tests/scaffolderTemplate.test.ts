/*
 * The Create page against the running app and its sandbox platform, where Elastic Cloud requests go
 * through Git (app-config.yaml: kratix.sandbox.git.gitopsPromises). With the sandbox's GitOps sync
 * suspended (its stand-in for Flux's `spec.suspend`, set with kubectl), the guest chooses "Request
 * an Elastic Cloud instance" for one of their own entities (payments-service), names it and submits:
 * the task ends at once on a page saying the request is pending, with a link to the commit on the
 * sandbox's Git server, which holds the manifest. The entity's Kratix tab shows the request as a
 * pending row of its own; once the sync is resumed, the row turns into the live Resource, which
 * becomes Ready.
 */
import { test, expect } from '@playwright/test';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { collectPageErrors, kubectl, waitForBackendReady } from './support';

const repo = path.resolve(__dirname, '../../..');
const screenshotDir = path.join(repo, 'test-output/screenshots');

// The sandbox's Git server as app-config.yaml sets it up (kratix.sandbox.git, integrations.gitea).
const GIT_URL = 'http://127.0.0.1:7118/kratix-requests.git';
const GIT_USER = 'sandbox-git-user';
const GIT_TOKEN = 'sandbox-git-dev-token';
// The sync's suspend switch (packages/kratix-sandbox/README.md, "Suspending the sync").
const SWITCH = ['configmap', 'kratix-requests-sync'];

// A fresh name per run: the sandbox keeps Resources while the app runs.
const name = `e2e-${Date.now().toString(36)}`;
// Where the request's manifest is committed: <path>/<cluster>/<namespace>/<promise>/<name>.yaml.
const manifestPath = `kratix-requests/sandbox/default/elastic-cloud/${name}.yaml`;

const resumeSync = () =>
  kubectl(['-n', 'flux-system', 'delete', ...SWITCH, '--ignore-not-found']);
const suspendSync = () => {
  resumeSync();
  kubectl([
    '-n',
    'flux-system',
    'create',
    ...SWITCH,
    '--from-literal=suspend=true',
  ]);
};

/** git with no user or system configuration, in `cwd`. */
function git(cwd: string, ...args: string[]): string {
  return execFileSync('git', args, {
    cwd,
    encoding: 'utf8',
    timeout: 30_000,
    env: {
      ...process.env,
      GIT_CONFIG_NOSYSTEM: '1',
      GIT_CONFIG_GLOBAL: '/dev/null',
      GIT_TERMINAL_PROMPT: '0',
    },
  });
}

/** A fresh clone of the requests repository, credentials in the URL (loopback, a dev token). */
function cloneRequests(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'e2e-requests-'));
  const url = new URL(GIT_URL);
  url.username = GIT_USER;
  url.password = GIT_TOKEN;
  git(dir, 'clone', '--quiet', url.toString(), 'repo');
  return path.join(dir, 'repo');
}

test.beforeAll(async () => {
  test.setTimeout(200_000);
  await waitForBackendReady();
});

// Whatever happened, the sync runs again; once it has applied the request (so it does not stay
// pending), the request's file goes and the sync deletes the Resource, as Flux prunes: the app is
// left as the other browser tests expect it.
test.afterAll(async () => {
  test.setTimeout(90_000);
  resumeSync();
  const clone = cloneRequests();
  try {
    if (!fs.existsSync(path.join(clone, manifestPath))) return;
    await expect
      .poll(
        () =>
          kubectl([
            'get',
            'elastic-cloud',
            name,
            '--ignore-not-found',
            '-o',
            'name',
          ]).trim(),
        { timeout: 60_000 },
      )
      .not.toBe('');
    git(clone, 'rm', '--quiet', manifestPath);
    git(
      clone,
      '-c',
      'user.name=e2e',
      '-c',
      'user.email=e2e@example.com',
      'commit',
      '--quiet',
      '-m',
      `Remove the browser test's ${name}`,
    );
    git(clone, 'push', '--quiet', 'origin', 'HEAD');
  } finally {
    fs.rmSync(path.dirname(clone), { recursive: true, force: true });
  }
});

test('requests an Elastic Cloud instance through Git: pending with its commit, then live', async ({
  page,
}) => {
  test.setTimeout(180_000);
  const errors = collectPageErrors(page);
  fs.mkdirSync(screenshotDir, { recursive: true });
  // Held, as a platform team's review or a paused Flux would hold it.
  suspendSync();

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

  // The task ends with the request pending (nothing waits for the platform to apply it).
  const output = page.getByTestId('text-output-box');
  await expect(
    output.getByText(
      /^Pending: Committed [0-9a-f]{7} to main, waiting for the platform to sync$/,
    ),
  ).toBeVisible({ timeout: 60_000 });
  await expect(output.getByText(manifestPath)).toBeVisible();

  // The commit link: the sandbox Git server's page of the commit.
  const commitLink = page.getByRole('link', { name: 'Open the commit' });
  const commitUrl = await commitLink.getAttribute('href');
  const commitPage = new RegExp(`^${escape(GIT_URL)}/commit/([0-9a-f]{40})$`);
  expect(commitUrl).toMatch(commitPage);
  const sha = commitUrl!.match(commitPage)![1];
  await expect(
    output.getByText(
      `Pending: Committed ${sha.slice(
        0,
        7,
      )} to main, waiting for the platform to sync`,
    ),
  ).toBeVisible();
  // A commit onto the branch, no pull request.
  await expect(
    page.getByRole('link', { name: 'Open the pull request' }),
  ).toHaveCount(0);
  await page.screenshot({
    path: path.join(screenshotDir, 'scaffolder-elastic-cloud.png'),
    fullPage: true,
  });

  // The page behind the link (basic auth, as every request to that server) is that commit, by the
  // guest, which adds the manifest; the manifest carries the request's id and the entity.
  const shown = await fetch(commitUrl!, {
    headers: {
      Authorization: `Basic ${Buffer.from(`${GIT_USER}:${GIT_TOKEN}`).toString(
        'base64',
      )}`,
    },
  });
  expect(shown.status).toBe(200);
  const commitText = await shown.text();
  expect(commitText).toContain(`commit ${sha}`);
  expect(commitText).toContain('Requested-by: user:default/guest');
  // git show --stat shortens a long path from the left.
  expect(commitText).toContain(`/elastic-cloud/${name}.yaml`);
  const clone = cloneRequests();
  try {
    expect(git(clone, 'show', '--name-only', '--format=', sha).trim()).toBe(
      manifestPath,
    );
    const manifest = git(clone, 'show', `${sha}:${manifestPath}`);
    expect(manifest).toMatch(/^kind: elastic-cloud$/m);
    expect(manifest).toMatch(new RegExp(`^  name: ${name}$`, 'm'));
    expect(manifest).toMatch(
      /^ {4}kratix\.backstage\.io\/entity-ref: component:default\/payments-service$/m,
    );
    expect(manifest).toMatch(/^ {4}kratix\.backstage\.io\/request-id: \S+$/m);
    expect(manifest).toMatch(/^ {2}enableDataCollection: true$/m);
  } finally {
    fs.rmSync(path.dirname(clone), { recursive: true, force: true });
  }

  // The entity's Kratix tab, as the output's link opens it: the request is a pending row of its
  // own, linking to the same commit, and counted.
  const tabLink = page.getByRole('link', {
    name: "Open the entity's Kratix tab",
  });
  const tab = await tabLink.getAttribute('href');
  expect(tab).toContain('/catalog/default/component/payments-service/kratix');
  await page.goto(tab!);
  const pending = page.getByRole('row', {
    name: `${name} (elastic-cloud), pending request`,
  });
  await expect(pending).toBeVisible();
  await expect(pending).toHaveAttribute('data-state', 'pending');
  await expect(pending.getByText('New Resource requested')).toBeVisible();
  await expect(
    pending.getByRole('link', { name: `Commit ${sha.slice(0, 7)}` }),
  ).toHaveAttribute('href', commitUrl!);
  // Counted above the table with any other pending request of the entity (an earlier run's).
  const pendingRows = page.locator(
    '[data-testid="kratix-request"][data-state="pending"]',
  );
  const count = await pendingRows.count();
  expect(count).toBeGreaterThanOrEqual(1);
  await expect(
    page
      .getByText(`${count} pending request${count === 1 ? '' : 's'}`, {
        exact: true,
      })
      .first(),
  ).toBeVisible();
  // Not on the platform yet.
  const live = page.getByRole('row', {
    name: `${name} (elastic-cloud)`,
    exact: true,
  });
  await expect(live).toHaveCount(0);
  await page.screenshot({
    path: path.join(screenshotDir, 'kratix-tab-pending-request.png'),
    fullPage: true,
  });

  // The sync resumes: it applies the commit, and the row turns into the live Resource, without a
  // reload, which the workflow then makes Ready.
  resumeSync();
  await expect(live).toBeVisible({ timeout: 60_000 });
  await expect(pending).toHaveCount(0);
  await expect(live.getByText('Ready', { exact: true })).toBeVisible({
    timeout: 60_000,
  });
  await expect(
    live.getByText(
      `Instance ${name} provisioned with preconfigured system metrics`,
    ),
  ).toBeVisible();
  await page.screenshot({
    path: path.join(screenshotDir, 'kratix-tab-request-applied.png'),
    fullPage: true,
  });
  expect(errors).toEqual([]);
});

/** A string matched literally inside a RegExp. */
function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
