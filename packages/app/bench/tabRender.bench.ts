/*
 * How soon the Kratix tab is usable once its data arrives, in Chromium at 1400×1000, with 50
 * Resources and a 500-entry timeline (target: interactive within 1 s). The bodies are
 * the running backend's own answers for checkout-service, multiplied: 50 copies of a real Resource
 * view, and a real timeline extended to 500 entries. The browser's requests for them are held and
 * answered at a known moment; the clock runs from that answer to the first row being clickable, and
 * from the detail's answer to its timeline being drawn. Writes the figures to .cache/bench/tab.json
 * (scripts/bench/results.js).
 */
import { test, expect, type Route } from '@playwright/test';
// Not a package: the one results writer every workspace's benchmark shares (repo tooling).
// eslint-disable-next-line @backstage/no-relative-monorepo-imports
import { writeBenchResult } from '../../../scripts/bench/results';
import { backendUrl, waitForBackendReady } from '../e2e-tests/support';

const ENTITY = '/api/kratix/entities/component/default/checkout-service';

async function guestToken(): Promise<string> {
  const res = await fetch(
    `${backendUrl}/api/auth/guest/refresh?env=development`,
    { headers: { 'X-Requested-With': 'XMLHttpRequest' } },
  );
  return ((await res.json()) as any).backstageIdentity.token;
}

async function realBodies() {
  const headers = { Authorization: `Bearer ${await guestToken()}` };
  const list = (await (
    await fetch(`${backendUrl}${ENTITY}/resources`, { headers })
  ).json()) as any;
  const details = (await (
    await fetch(
      `${backendUrl}${ENTITY}/resources/sandbox/default/redis/example`,
      {
        headers,
      },
    )
  ).json()) as any;
  const template = list.items.find((i: any) => i.name === 'example');
  const items = Array.from({ length: 50 }, (_, i) => ({
    ...template,
    name: `bench-${String(i).padStart(2, '0')}`,
  }));
  const base = Date.parse(details.timeline[0].time);
  const entries = details.timeline;
  const timeline = Array.from({ length: 500 }, (_, i) => ({
    ...entries[i % entries.length],
    time: new Date(base + i * 60_000).toISOString(),
  }));
  return {
    list: { ...list, items, refErrors: [] },
    details: { ...details, timeline },
  };
}

test('the Kratix tab with 50 Resources and 500 timeline entries', async ({
  page,
}) => {
  await waitForBackendReady();
  const bodies = await realBodies();
  await page.setViewportSize({ width: 1400, height: 1000 });

  let answerList!: () => number;
  const listAsked = new Promise<void>(asked => {
    page.route(`**${ENTITY}/resources`, (route: Route) => {
      answerList = () => {
        void route.fulfill({ json: bodies.list });
        return Date.now();
      };
      asked();
    });
  });
  let answerDetails!: () => number;
  const detailsAsked = new Promise<void>(asked => {
    page.route(`**${ENTITY}/resources/sandbox/default/redis/bench-*`, route => {
      answerDetails = () => {
        void route.fulfill({ json: bodies.details });
        return Date.now();
      };
      asked();
    });
  });
  // The live stream is not what is measured: keep it quiet.
  await page.route(`**${ENTITY}/events`, route => route.abort());

  await page.goto('/catalog/default/component/checkout-service/kratix');
  await page.getByRole('button', { name: 'Enter' }).click();
  await listAsked;

  const listAnsweredAt = answerList();
  const firstRow = page.getByRole('row', { name: 'bench-00 (redis)' });
  await firstRow.click({ trial: true }); // waits until it is visible, stable and enabled
  const listMs = Date.now() - listAnsweredAt;
  await expect(page.getByRole('row', { name: /bench-49/ })).toBeVisible();

  await firstRow.click();
  await detailsAsked;
  const detailsAnsweredAt = answerDetails();
  await expect(page.getByTestId('kratix-resource-panel')).toBeVisible();
  await expect(page.getByText(/workflow run/).first()).toBeVisible();
  const detailsMs = Date.now() - detailsAnsweredAt;

  const summary = {
    browser: `Chromium ${page.context().browser()?.version()}`,
    viewport: '1400x1000',
    resources: bodies.list.items.length,
    timelineEntries: bodies.details.timeline.length,
    listAnsweredToFirstRowClickableMs: listMs,
    detailsAnsweredToTimelineDrawnMs: detailsMs,
    targetMs: 1000,
  };
  writeBenchResult('tab', summary);
  // eslint-disable-next-line no-console
  console.log(
    `Kratix tab, Chromium 1400×1000, 50 Resources: data → first row clickable ${listMs} ms; ` +
      `500-entry timeline: data → drawn ${detailsMs} ms (target ≤ 1000 ms)`,
  );
});
