/*
 * A Resource whose workflow fails leads with why, in its row and at the top of its detail: the
 * failing condition's message, not Kratix's "Pending" placeholder. The platform side makes one
 * (kubectl, as a platform engineer would) for checkout-service, bound by its owner annotation, so
 * it shows on the tab with no annotation change on the entity.
 */
import { test, expect } from '@playwright/test';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { collectPageErrors, waitForBackendReady } from './support';

const repo = path.resolve(__dirname, '../../..');
const screenshotDir = path.join(repo, 'test-output/screenshots');
const kubeconfig = path.join(repo, '.cache/sandbox/kubeconfig');
const name = `failing-${Date.now().toString(36)}`;

function kubectl(args: string[], input?: string): string {
  return execFileSync('kubectl', ['--kubeconfig', kubeconfig, ...args], {
    encoding: 'utf8',
    timeout: 30_000,
    input,
  });
}

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

  // The sandbox's jenkins pipeline exits 1 on this annotation: ConfigureWorkflowCompleted False,
  // reason ConfigureWorkflowFailed (PipelinesInProgress while it runs).
  kubectl(
    ['apply', '-f', '-'],
    JSON.stringify({
      apiVersion: 'marketplace.kratix.io/v1alpha1',
      kind: 'jenkins',
      metadata: {
        name,
        namespace: 'default',
        annotations: {
          'kratix.backstage.io/entity-ref':
            'component:default/checkout-service',
          'kratix.backstage.io/owner': 'team-checkout',
          'sandbox.kratix.io/simulate': 'fail',
        },
      },
      spec: { env: 'dev' },
    }),
  );
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
