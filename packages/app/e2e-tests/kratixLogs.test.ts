/*
 * Why it failed, from the pipeline's own log: a Resource whose workflow fails shows, right under
 * its status message, the container that failed, its exit code and its last line (as `kubectl logs`
 * prints it), and opens the full log in Backstage's LogViewer. The platform side makes the Resource
 * with kubectl for checkout-service (bound by its owner annotation), as kratixFailed does.
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
const name = `logs-failing-${Date.now().toString(36)}`;

interface PodList {
  items: Array<{
    metadata: { labels?: Record<string, string> };
    status?: {
      phase?: string;
      initContainerStatuses?: Array<{
        name: string;
        state?: { terminated?: { exitCode: number } };
      }>;
    };
  }>;
}

/** The failed run as the cluster has it: its Job, and the init container that exited non-zero. */
function failedRun():
  | { job: string; container: string; exitCode: number }
  | undefined {
  const pods: PodList = JSON.parse(
    kubectl([
      'get',
      'pods',
      '-n',
      'default',
      '-l',
      `kratix.io/resource-name=${name}`,
      '-o',
      'json',
    ]),
  );
  for (const pod of pods.items) {
    if (pod.status?.phase !== 'Failed') continue;
    const failed = pod.status.initContainerStatuses?.find(
      c => (c.state?.terminated?.exitCode ?? 0) !== 0,
    );
    const job = pod.metadata.labels?.['job-name'];
    if (failed && job) {
      return {
        job,
        container: failed.name,
        exitCode: failed.state!.terminated!.exitCode,
      };
    }
  }
  return undefined;
}

test.beforeAll(async () => {
  test.setTimeout(200_000);
  await waitForBackendReady();
});

test.afterAll(() => {
  kubectl(['delete', 'jenkins', name, '--ignore-not-found', '--wait=false']);
});

test('a failed run shows its failing container and last line under the status message, and opens its full log in LogViewer', async ({
  page,
}) => {
  test.setTimeout(150_000);
  const errors = collectPageErrors(page);
  fs.mkdirSync(screenshotDir, { recursive: true });
  // The smallest window the tab supports: the log dialog must fit it.
  await page.setViewportSize({ width: 1024, height: 800 });

  applyFailingJenkins(name);
  let run: ReturnType<typeof failedRun>;
  await expect
    .poll(
      () => {
        run = failedRun();
        return run?.container;
      },
      { timeout: 60_000 },
    )
    .toBeTruthy();
  const { job, container, exitCode } = run!;
  // What the platform engineer would read: the failing container's log and its last line.
  const fullLog = kubectl([
    'logs',
    '-n',
    'default',
    `job/${job}`,
    '-c',
    container,
  ])
    .replace(/\n$/, '')
    .split('\n');
  const lastLine = kubectl([
    'logs',
    '-n',
    'default',
    `job/${job}`,
    '-c',
    container,
    '--tail=1',
  ]).replace(/\n$/, '');
  expect(lastLine).not.toBe('');

  await page.goto('/catalog/default/component/checkout-service/kratix');
  await page.getByRole('button', { name: 'Enter' }).click();
  const row = page.getByRole('row', { name: `${name} (jenkins)` });
  await expect(row.getByTestId('kratix-state')).toHaveAttribute(
    'data-state',
    'failed',
  );
  // The tab opens the first failed Resource by itself; another may fail first.
  if ((await row.getAttribute('aria-expanded')) !== 'true') await row.click();
  const panel = page
    .getByTestId('kratix-resource-panel')
    .filter({ hasText: name });

  const summary = panel.getByTestId('kratix-failed-run');
  await expect(summary.getByTestId('kratix-failed-run-container')).toHaveText(
    container,
  );
  await expect(summary.getByTestId('kratix-failed-run-exit-code')).toHaveText(
    String(exitCode),
  );
  await expect(summary.getByTestId('kratix-failed-run-last-line')).toHaveText(
    lastLine,
  );
  // Right under the status message: the next thing after it.
  expect(
    await summary.evaluate(
      el =>
        !!el.previousElementSibling?.querySelector(
          '[data-testid="kratix-status-message"]',
        ),
    ),
  ).toBe(true);
  await summary.scrollIntoViewIfNeeded();
  await page.screenshot({
    path: path.join(screenshotDir, 'tab-failed-run-summary.png'),
  });

  await summary.getByRole('button', { name: 'Open the full log' }).click();
  const dialog = page.getByRole('dialog');
  await expect(
    dialog.getByRole('tab', { name: new RegExp(`^${container}`) }),
  ).toHaveAttribute('aria-selected', 'true');
  // One tab per container of the Pod, reader first.
  await expect(dialog.getByRole('tab').first()).toHaveText(/^reader/);
  const viewer = dialog.getByTestId('kratix-log-viewer');
  for (const line of new Set([fullLog[0], lastLine])) {
    await expect(viewer.getByText(line, { exact: true })).toBeVisible();
  }
  // LogViewer's own controls: its search box and a link to each line.
  await expect(viewer.getByPlaceholder('Search')).toBeVisible();
  await expect(viewer.locator('a[href="#line-1"]')).toBeVisible();
  // It fits the window: nothing scrolls sideways, in the dialog or on the page.
  expect(
    await dialog.evaluate(el => {
      const paper = el.querySelector('.MuiDialog-paper') ?? el;
      const content = el.querySelector('.MuiDialogContent-root') ?? el;
      return [
        paper.scrollWidth <= paper.clientWidth,
        content.scrollWidth <= content.clientWidth,
        document.documentElement.scrollWidth <=
          document.documentElement.clientWidth,
      ];
    }),
  ).toEqual([true, true, true]);
  await page.screenshot({
    path: path.join(screenshotDir, 'tab-pipeline-logs-dialog.png'),
  });
  await dialog.getByRole('button', { name: 'Close' }).click();
  await expect(dialog).toBeHidden();

  // The same run's logs open from its row in the timeline's history.
  await panel.getByRole('button', { name: `Logs of run ${job}` }).click();
  await expect(dialog.getByText(`Run ${job}`)).toBeVisible();
  await expect(
    dialog
      .getByTestId('kratix-log-viewer')
      .getByText(lastLine, { exact: true }),
  ).toBeVisible();
  await dialog.getByRole('button', { name: 'Close' }).click();
  await expect(dialog).toBeHidden();
  expect(errors).toEqual([]);
});
