/*
 * How soon the Kratix tab is drawn once its data arrives, in Chromium at 1400×1000:
 * - the overview of an entity with 50 Resources (data → first row clickable);
 * - the detail of a Resource with a 500-entry timeline (data → chart, counts and history drawn),
 *   RUNS times, each in a fresh tab, reporting every run, the median and the worst (target: the
 *   worst under 500 ms);
 * - the overview of an entity linked to 200 Resources (data → its rows drawn; target under 1 s).
 * The bodies are the running backend's own answers for checkout-service, multiplied: copies of a
 * real Resource view, and a real timeline extended to 500 entries. The browser's requests for them
 * are held and answered at a known moment.
 *
 * The clock runs in the page: from the end of the answer's response (its Resource Timing
 * `responseEnd`) to the first frame painted after the DOM shows what is measured (a MutationObserver
 * sees it, then a requestAnimationFrame and the task after it: the frame is on screen). Timing from
 * the test process instead would add Playwright's polling intervals (up to 500 ms) to the figure.
 * Writes the figures to .cache/bench/tab.json (scripts/bench/results.js).
 */
import fs from 'node:fs';
import path from 'node:path';
import { test, expect, type Page, type Route } from '@playwright/test';
// Not a package: the one results writer every workspace's benchmark shares (repo tooling).
// eslint-disable-next-line @backstage/no-relative-monorepo-imports
import { writeBenchResult } from '../../../scripts/bench/results';
import { backendUrl, waitForBackendReady } from '../e2e-tests/support';

const ENTITY = '/api/kratix/entities/component/default/checkout-service';
const TAB = '/catalog/default/component/checkout-service/kratix';
const VIEWPORT = { width: 1400, height: 1000 };
/** Runs of the 500-entry detail; the goal is for the worst of them. */
const RUNS = Number(process.env.BENCH_TAB_RUNS ?? 5);
const ENTITY_200_RUNS = Number(process.env.BENCH_TAB_ENTITY_RUNS ?? 3);
const TIMELINE_ENTRIES = 500;
/** BENCH_TAB_PROFILE=1: a CPU profile of each detail's drawing, under .cache/bench/ (Chrome DevTools opens it). */
const PROFILE = process.env.BENCH_TAB_PROFILE;

/**
 * BENCH_TAB_REACT=1: React's own render times (development builds keep them on every fiber), per
 * component, for each commit while the detail draws; printed per run. Installed as the DevTools
 * hook before the app loads, so nothing in the app changes.
 */
const REACT_TIMES = !!process.env.BENCH_TAB_REACT;
function reactTimesHook() {
  const commits: Array<Record<string, number>> = [];
  (window as any).__benchCommits = commits;
  const nameOf = (type: any): string | undefined =>
    type?.displayName ??
    type?.name ??
    type?.render?.displayName ??
    type?.render?.name ??
    (type?.type ? nameOf(type.type) : undefined);
  (window as any).__REACT_DEVTOOLS_GLOBAL_HOOK__ = {
    supportsFiber: true,
    isDisabled: false,
    renderers: new Map(),
    inject: () => 1,
    checkDCE: () => {},
    onScheduleFiberRoot: () => {},
    onPostCommitFiberRoot: () => {},
    onCommitFiberUnmount: () => {},
    onCommitFiberRoot: (_id: number, root: any) => {
      if (!(window as any).__benchRecord) return;
      const times: Record<string, number> = {};
      // Fibers rendered in this commit started at or after its root did; the others keep the
      // times of an earlier render.
      const start = root.current.actualStartTime;
      const rendered = (f: any) => f && f.actualStartTime >= start;
      // Self time per component: its actualDuration minus its rendered children's.
      const visit = (fiber: any) => {
        for (let f = fiber; f; f = f.sibling) {
          const name = typeof f.type === 'string' ? undefined : nameOf(f.type);
          if (name && rendered(f)) {
            let self = f.actualDuration;
            for (let c = f.child; c; c = c.sibling) {
              if (rendered(c)) self -= c.actualDuration ?? 0;
            }
            times[name] = (times[name] ?? 0) + Math.max(0, self);
          }
          if (f.child) visit(f.child);
        }
      };
      visit(root.current.child);
      commits.push(times);
    },
  };
}

/** Chromium's CPU profiler on the page, through DevTools' protocol. */
async function startProfile(page: Page) {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Profiler.enable');
  await cdp.send('Profiler.setSamplingInterval', { interval: 1000 });
  await cdp.send('Profiler.start');
  return {
    stop: async (name: string) => {
      const { profile } = await cdp.send('Profiler.stop');
      const dir = path.resolve(__dirname, '../../../.cache/bench');
      fs.mkdirSync(dir, { recursive: true });
      fs.writeFileSync(
        path.join(dir, `${name}.cpuprofile`),
        JSON.stringify(profile),
      );
    },
  };
}

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
  const runs = (await (
    await fetch(
      `${backendUrl}${ENTITY}/resources/sandbox/default/redis/example/runs`,
      { headers },
    )
  ).json()) as any;
  const template = list.items.find((i: any) => i.name === 'example');
  const listOf = (n: number) => ({
    ...list,
    items: Array.from({ length: n }, (_, i) => ({
      ...template,
      name: `bench-${String(i).padStart(3, '0')}`,
    })),
    refErrors: [],
    requests: [],
  });
  const base = Date.parse(details.timeline[0].time);
  const entries = details.timeline;
  const timeline = Array.from({ length: TIMELINE_ENTRIES }, (_, i) => ({
    ...entries[i % entries.length],
    time: new Date(base + i * 60_000).toISOString(),
  }));
  return {
    runs,
    list50: listOf(50),
    list200: listOf(200),
    details: {
      ...details,
      timeline,
      timelineTotal: TIMELINE_ENTRIES,
      timelineNext: undefined,
    },
  };
}

/** A held request: answered when the bench says, at a moment it knows. */
function holdRequests(page: Page, url: string) {
  const waiting: Array<(route: Route) => void> = [];
  const held: Route[] = [];
  void page.route(url, route => {
    const next = waiting.shift();
    if (next) next(route);
    else held.push(route);
  });
  return {
    next: (): Promise<Route> =>
      held.length
        ? Promise.resolve(held.shift()!)
        : new Promise(resolve => waiting.push(resolve)),
  };
}

/**
 * Starts watching the page for `selector` (with `text` in it, and `needs` elements inside it);
 * resolves, in the page, with when the frame that first shows it finished rendering.
 *
 * That frame: a MutationObserver sees the DOM change (React's commit), and a ResizeObserver
 * registered then fires after the next frame's style and layout. Its end is the end of the Long
 * Animation Frame holding that moment (the frame's script, style, layout and paint), when the frame
 * took over 50 ms; a shorter frame ends at most a paint later, and the ResizeObserver's time is
 * taken. Work queued after that frame (a lazily loaded chunk, another component's render) does not
 * count: the timeline is on screen by then.
 */
async function watchDrawn(
  page: Page,
  what: { selector: string; text?: string; needs?: string[] },
): Promise<void> {
  await page.evaluate(({ selector, text, needs }) => {
    const w = window as any;
    if (!w.__benchFrames) {
      w.__benchFrames = [] as PerformanceEntry[];
      new PerformanceObserver(list =>
        w.__benchFrames.push(...list.getEntries()),
      ).observe({ type: 'long-animation-frame', buffered: true });
    }
    const shown = () => {
      const el = document.querySelector(selector);
      if (!el) return false;
      if (text && !el.textContent?.includes(text)) return false;
      return (needs ?? []).every(n => el.querySelector(n));
    };
    w.__benchDrawn = new Promise<number>(resolve => {
      const observer = new MutationObserver(() => {
        if (shown()) done(); // eslint-disable-line @typescript-eslint/no-use-before-define
      });
      const done = () => {
        observer.disconnect();
        const laidOut = new ResizeObserver(() => {
          laidOut.disconnect();
          const at = performance.now();
          // The frame's entry is reported once the frame ends: look for it a little later.
          setTimeout(() => {
            const frame = (w.__benchFrames as PerformanceEntry[]).find(
              f => f.startTime <= at && at <= f.startTime + f.duration,
            );
            resolve(frame ? frame.startTime + frame.duration : at);
          }, 200);
        });
        laidOut.observe(document.body);
      };
      observer.observe(document.body, {
        childList: true,
        subtree: true,
        characterData: true,
      });
      if (shown()) done();
    });
  }, what);
}

/** From the answer's last byte (Resource Timing of `urlPart`) to the drawn frame, in ms. */
async function drawnAfterAnswer(page: Page, urlPart: string): Promise<number> {
  return page.evaluate(async part => {
    const drawnAt: number = await (window as any).__benchDrawn;
    const answers = performance
      .getEntriesByType('resource')
      .filter(e => e.name.includes(part)) as PerformanceResourceTiming[];
    const answer = answers[answers.length - 1];
    if (!answer) throw new Error(`no Resource Timing entry for ${part}`);
    return Math.round(drawnAt - answer.responseEnd);
  }, urlPart);
}

/**
 * A fresh tab on checkout-service's Kratix tab, signed in, its list and details requests held. A
 * copy's workflow runs are the real Resource's, answered at once; the live stream is held open
 * and quiet (a stream that fails would retry, and re-render the tab, while the bench measures).
 */
async function openTab(page: Page, runs: unknown) {
  await page.setViewportSize(VIEWPORT);
  if (REACT_TIMES) await page.addInitScript(reactTimesHook);
  const list = holdRequests(page, `**${ENTITY}/resources`);
  const details = holdRequests(
    page,
    `**${ENTITY}/resources/sandbox/default/redis/bench-*`,
  );
  await page.route(
    `**${ENTITY}/resources/sandbox/default/redis/bench-*/runs`,
    route => route.fulfill({ json: runs }),
  );
  await page.route(`**${ENTITY}/events`, () => {
    // Never answered: a connected stream with no change to send.
  });
  // The dev backend restarts when its sources change (other work on the tree): sign in once it is up.
  await waitForBackendReady();
  await page.goto(TAB);
  await page.getByRole('button', { name: 'Enter' }).click();
  return { list, details };
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2
    ? sorted[mid]
    : Math.round((sorted[mid - 1] + sorted[mid]) / 2);
};

test('the Kratix tab: 50 Resources, a 500-entry timeline, 200 Resources', async ({
  browser,
  baseURL,
}) => {
  test.setTimeout(60_000 * (2 + RUNS + ENTITY_200_RUNS));
  await waitForBackendReady();
  const bodies = await realBodies();
  const fresh = async () => {
    const context = await browser.newContext({ baseURL, viewport: VIEWPORT });
    return { context, page: await context.newPage() };
  };

  // The 500-entry detail, RUNS times, each in a fresh tab (nothing warm from a run before).
  const listMs: number[] = [];
  const timelineMs: number[] = [];
  for (let run = 0; run < RUNS; run++) {
    const { context, page } = await fresh();
    const held = await openTab(page, bodies.runs);
    const listRoute = await held.list.next();
    await watchDrawn(page, {
      selector: '[data-testid="kratix-overview"]',
      // The first page of rows (25; the overview pages more than that).
      needs: ['[data-resource="sandbox/default/redis/bench-024"]'],
    });
    await listRoute.fulfill({ json: bodies.list50 });
    listMs.push(await drawnAfterAnswer(page, `${ENTITY}/resources`));
    const firstRow = page.getByRole('row', { name: 'bench-000 (redis)' });
    await firstRow.click();

    const detailsRoute = await held.details.next();
    await watchDrawn(page, {
      selector: '[data-testid="kratix-timeline"]',
      text: `${TIMELINE_ENTRIES} entries`,
      needs: [
        '[data-testid="kratix-timeline-chart"] [data-tone]',
        '[data-testid="kratix-timeline-history"] [data-testid="kratix-timeline-what"]',
      ],
    });
    if (PROFILE === 'trace') {
      await browser.startTracing(page, {
        path: path.resolve(
          __dirname,
          `../../../.cache/bench/tab-timeline500-run${run}.trace.json`,
        ),
        categories: [
          'devtools.timeline',
          'disabled-by-default-devtools.timeline',
          'v8.execute',
          'blink.user_timing',
        ],
      });
    }
    const profiler = PROFILE === 'cpu' ? await startProfile(page) : undefined;
    if (REACT_TIMES) {
      await page.evaluate(() => {
        (window as any).__benchRecord = true;
      });
    }
    await detailsRoute.fulfill({ json: bodies.details });
    timelineMs.push(await drawnAfterAnswer(page, '/redis/bench-000'));
    if (profiler) await profiler.stop(`tab-timeline500-run${run}`);
    if (REACT_TIMES) {
      const commits: Array<Record<string, number>> = await page.evaluate(
        () => (window as any).__benchCommits,
      );
      // eslint-disable-next-line no-console
      console.log(
        `run ${run}: ${commits
          .map((times, i) => {
            const total = Object.values(times).reduce((a, b) => a + b, 0);
            const top = Object.entries(times)
              .sort((a, b) => b[1] - a[1])
              .slice(0, 12)
              .map(([n, t]) => `${n} ${t.toFixed(1)}`)
              .join(', ');
            return `commit ${i}: ${total.toFixed(0)} ms (${top})`;
          })
          .join('\n')}`,
      );
    }
    if (PROFILE === 'trace') await browser.stopTracing();
    await expect(page.getByTestId('kratix-resource-panel')).toBeVisible();
    await context.close();
  }

  // An entity linked to 200 Resources: its overview drawn (the first page of rows).
  const entity200Ms: number[] = [];
  for (let run = 0; run < ENTITY_200_RUNS; run++) {
    const { context, page } = await fresh();
    const held = await openTab(page, bodies.runs);
    const listRoute = await held.list.next();
    await watchDrawn(page, {
      selector: '[data-testid="kratix-content"]',
      needs: [
        '[data-resource="sandbox/default/redis/bench-024"]',
        '[data-testid="kratix-overview-pages"]',
      ],
    });
    await listRoute.fulfill({ json: bodies.list200 });
    entity200Ms.push(await drawnAfterAnswer(page, `${ENTITY}/resources`));
    await expect(page.getByTestId('kratix-state-counts')).toContainText('200');
    await context.close();
  }

  const summary = {
    browser: `Chromium ${browser.version()}`,
    viewport: `${VIEWPORT.width}x${VIEWPORT.height}`,
    measured:
      "in the page: from the answer's responseEnd to the first frame painted showing it",
    resources: bodies.list50.items.length,
    timelineEntries: TIMELINE_ENTRIES,
    // The median of the runs (each run's figure is in timeline500.runs and list50Runs).
    listAnsweredToFirstRowClickableMs: median(listMs),
    list50Runs: listMs,
    detailsAnsweredToTimelineDrawnMs: median(timelineMs),
    timeline500: {
      runs: timelineMs,
      medianMs: median(timelineMs),
      worstMs: Math.max(...timelineMs),
      targetMs: 500,
    },
    entity200: {
      resources: bodies.list200.items.length,
      // The worst of the runs: the goal holds for every open, not the typical one.
      openMs: Math.max(...entity200Ms),
      medianMs: median(entity200Ms),
      runs: entity200Ms,
      targetMs: 1000,
    },
  };
  writeBenchResult('tab', summary);
  // eslint-disable-next-line no-console
  console.log(
    `Kratix tab, Chromium 1400×1000: 50 Resources: data → drawn ${listMs.join(
      ', ',
    )} ms; 500-entry timeline: data → drawn ${timelineMs.join(
      ', ',
    )} ms (median ${summary.timeline500.medianMs}, worst ${
      summary.timeline500.worstMs
    }; target ≤ 500 ms); 200 Resources: data → drawn ${entity200Ms.join(
      ', ',
    )} ms (target ≤ 1000 ms)`,
  );
});
