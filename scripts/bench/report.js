#!/usr/bin/env node
/*
 * The last step of `yarn bench`: turns the results under .cache/bench/ (one JSON file per benchmark,
 * written through results.js) into the "Latest figures" part of docs/benchmarks.md.
 *
 *   node scripts/bench/report.js               writes .cache/bench/benchmarks.md: docs/benchmarks.md
 *                                              with these figures (the tree stays clean)
 *   node scripts/bench/report.js --write-docs  rewrites docs/benchmarks.md itself, to commit
 *   yarn bench --write-docs                    runs every benchmark, then the line above
 *
 * It also writes .cache/bench/bench-results.json: the scale goals of one `yarn bench` run in one
 * file (ratios, replicas, search on PostgreSQL, streams, tab), which the page's goals table shows.
 *
 * Only the text between the two markers below is generated; the rest of docs/benchmarks.md (what is
 * measured, how to run it) is ordinary prose, edited by hand.
 */
const fs = require('node:fs');
const path = require('node:path');
const { benchResultsDir } = require('./results');

const repoRoot = path.resolve(__dirname, '../..');
const docsPage = path.join(repoRoot, 'docs/benchmarks.md');
const START =
  '<!-- figures:start (written by scripts/bench/report.js from .cache/bench; do not edit) -->';
const END = '<!-- figures:end -->';

/** The benchmarks, in the order of `yarn bench`: results file and the command that writes it. */
const BENCHES = [
  ['sandbox-scale', 'yarn workspace @kratix-backstage/sandbox bench'],
  ['kratix-routes', 'yarn workspace backend bench'],
  ['read-path', 'yarn workspace backend bench:read'],
  ['catalog-ingestion', 'yarn workspace backend bench'],
  ['action-wait', 'yarn workspace backend bench'],
  [
    'search-collation',
    'yarn workspace @kratix-backstage/plugin-search-backend-module-kratix bench',
  ],
  ['tab', 'yarn bench:tab'],
  ['replicas', 'yarn workspace backend bench:replicas'],
  ['streams', 'yarn workspace backend bench:streams'],
  ['memory', 'yarn workspace backend bench:memory'],
  ['search-pg', 'yarn workspace backend bench:search-pg'],
];

function readResults() {
  const results = {};
  for (const [name] of BENCHES) {
    const file = path.join(benchResultsDir, `${name}.json`);
    if (fs.existsSync(file)) {
      results[name] = JSON.parse(fs.readFileSync(file, 'utf8'));
    }
  }
  return results;
}

const count = n => Math.round(n).toLocaleString('en-US');
const ms = x => {
  if (x === undefined || x === null) return 'n/a';
  if (x >= 100) return `${x.toFixed(0)} ms`;
  if (x >= 10) return `${x.toFixed(1)} ms`;
  return `${x.toFixed(2)} ms`;
};
const seconds = x =>
  x === undefined || x === null ? 'n/a' : `${x.toFixed(1)} s`;
const mb = x => (x === undefined || x === null ? 'n/a' : `${x.toFixed(1)} MB`);
// Two decimals, or three near 1, where two would print 1.00x for a goal just missed or just met.
const ratio = x => `${x.toFixed(Math.abs(x - 1) < 0.01 ? 3 : 2)}x`;
const target = (text, met) => `${text} (${met ? 'met' : '**not met**'})`;
const spread = r =>
  `${ms(r.median)} (p95 ${ms(r.p95)}${
    r.max === undefined ? '' : `, max ${ms(r.max)}`
  })`;

/** Rows of the summary table: [benchmark, measure, figure, target]. */
function summaryRows(results) {
  const rows = [];
  const scale = results['sandbox-scale'];
  if (scale) {
    const what = `${count(scale.resources)} Resources of ${
      scale.promises
    } Promises`;
    rows.push(
      [
        'sandbox scale',
        `list ${what} over HTTPS with client-node, one call per kind (median of ${scale.rounds})`,
        ms(scale.listOneCallPerKindMs),
        '',
      ],
      [
        'sandbox scale',
        'the same in pages of 500',
        ms(scale.listPagesOf500Ms),
        '',
      ],
      [
        'sandbox scale',
        'the same in-process, from the store',
        ms(scale.listInProcessMs),
        '',
      ],
    );
  }
  const routes = results['kratix-routes'];
  if (routes) {
    const of = `median (p95) of ${routes.requests} sequential requests`;
    rows.push(
      [
        'Kratix routes',
        `entity Resources route, ${of}`,
        spread(routes.entityResources),
        '',
      ],
      [
        'Kratix routes',
        'one-Resource route with its timeline',
        spread(routes.timeline),
        '',
      ],
      [
        'Kratix routes',
        'direct client-node GET of the same Resource (reference)',
        spread(routes.direct),
        '',
      ],
    );
  }
  const read = results['read-path'];
  if (read) {
    const r = read.ratios;
    rows.push(
      [
        'read path',
        'entity Resources p50 / catalog by-name p50, concurrency 10',
        ratio(r.entityP50OverCatalogP50),
        target('≤ 0.5x', r.entityP50OverCatalogP50 <= 0.5),
      ],
      [
        'read path',
        'entity Resources req/s / peer kubernetes-backend req/s, concurrency 10',
        ratio(r.entityRpsOverPeerRps),
        target('≥ 3x', r.entityRpsOverPeerRps >= 3),
      ],
      [
        'read path',
        'one-Resource timeline p50 / catalog by-name p50, concurrency 10',
        ratio(r.timelineP50OverCatalogP50),
        target('≤ 1x', r.timelineP50OverCatalogP50 <= 1),
      ],
    );
    if (read.liveStream) {
      const s = read.liveStream;
      rows.push([
        'read path',
        `sandbox write → SSE frame on \`.../events\` (median of ${s.changes})`,
        spread(s),
        target('≤ 50 ms', s.median <= 50),
      ]);
    }
    const largest = (read.scale ?? [])[read.scale?.length - 1];
    if (largest?.clusterCache) {
      rows.push([
        'read path',
        `cluster service's caches, ${count(
          largest.resources,
        )} Resources (heap after \`global.gc()\`)`,
        mb(largest.clusterCache.heapDeltaMB),
        target('≤ 150 MB', largest.clusterCache.heapDeltaMB <= 150),
      ]);
    }
  }
  const wait = results['action-wait'];
  if (wait) {
    rows.push(
      [
        'action wait',
        `\`kratix:resource:create\`: workflow marked complete → action returns, redis (\`ConfigureWorkflowCompleted\`), ${wait.rounds} Resources`,
        spread(wait.current),
        target('≤ 50 ms', wait.current.median <= 50),
      ],
      [
        'action wait',
        'the same, elastic-cloud (legacy `PipelineCompleted`)',
        spread(wait.legacy),
        target('≤ 50 ms', wait.legacy.median <= 50),
      ],
    );
  }
  const catalog = results['catalog-ingestion'];
  if (catalog) {
    rows.push(
      [
        'catalog ingestion',
        `the Kratix entity provider's full run over ${count(
          catalog.resources,
        )} Resources, cold caches`,
        ms(catalog.providerColdMs),
        '',
      ],
      [
        'catalog ingestion',
        'the same, warm caches (median of 5)',
        ms(catalog.providerWarmMs),
        '',
      ],
      [
        'catalog ingestion',
        'the real catalog (SQLite): backend start → every Resource entity served',
        `${seconds(catalog.catalogAllServedSeconds)}${
          catalog.catalogFirstServedSeconds === undefined
            ? ''
            : ` (first after ${seconds(catalog.catalogFirstServedSeconds)})`
        }`,
        '',
      ],
    );
  }
  const search = results['search-collation'];
  if (search) {
    rows.push(
      [
        'search collation',
        `${count(search.resources)} Resources collated (median of ${
          search.rounds
        } full runs)`,
        `${count(search.documentsPerSecond)} documents/s`,
        target(
          `≥ ${count(search.targetDocumentsPerSecond)} documents/s`,
          search.documentsPerSecond >= search.targetDocumentsPerSecond,
        ),
      ],
      [
        'search collation',
        'peak heap / RSS while collating (watch caches included)',
        `${mb(search.peakHeapMB)} / ${mb(search.peakRssMB)}`,
        '',
      ],
    );
  }
  const tab = results.tab;
  if (tab) {
    // The list's goal is the tab's first one (usable within 1 s); the timeline's, issue 28's: the
    // worst of its runs within 500 ms.
    const listTarget = tab.targetMs ?? 1000;
    const timeline = tab.timeline500;
    const timelineTarget = timeline?.targetMs ?? tab.targetMs ?? 500;
    const timelineFigure =
      timeline?.worstMs ?? tab.detailsAnsweredToTimelineDrawnMs;
    rows.push(
      [
        'entity tab',
        `${tab.resources} Resources in ${
          tab.browser ?? 'Chromium'
        } at ${tab.viewport.replace('x', '×')}: data → first row clickable`,
        ms(tab.listAnsweredToFirstRowClickableMs),
        target(
          `≤ ${count(listTarget)} ms`,
          tab.listAnsweredToFirstRowClickableMs <= listTarget,
        ),
      ],
      [
        'entity tab',
        timeline
          ? `a ${
              tab.timelineEntries
            }-entry timeline: data → detail and timeline drawn, worst of ${
              timeline.runs.length
            } runs (median ${ms(timeline.medianMs)})`
          : `a ${tab.timelineEntries}-entry timeline: data → detail and timeline drawn`,
        ms(timelineFigure),
        target(
          `≤ ${count(timelineTarget)} ms`,
          timelineFigure <= timelineTarget,
        ),
      ],
    );
  }
  return rows;
}

/** The scale goals of the run, in one object (.cache/bench/bench-results.json). */
function benchResults(results) {
  const read = results['read-path'] ?? {};
  const replicas = results.replicas;
  const pg = results['search-pg'];
  const streams = results.streams;
  const tab = results.tab;
  const memory = results.memory;
  const dates = Object.values(results)
    .map(r => r.date)
    .filter(Boolean)
    .sort();
  return {
    date: dates[dates.length - 1],
    // When the first and the last of these results were written: one `yarn bench` run spans
    // about an hour; a wider span means some figures come from an earlier run.
    span: { from: dates[0], to: dates[dates.length - 1] },
    machine: read.machine ?? Object.values(results)[0]?.machine,
    ratios: {
      coldEntityP50OverCatalogP50: read.ratios?.coldEntityP50OverCatalogP50,
      firstReadP50OverCatalogP50: read.ratios?.firstReadP50OverCatalogP50,
      warmEntityP50OverHealthP50: read.ratios?.warmEntityP50OverHealthP50,
      entityP50OverCatalogP50: read.ratios?.entityP50OverCatalogP50,
    },
    cold: read.cold,
    firstRead: read.firstRead,
    warm: read.warm,
    hops: read.hops,
    replicas: replicas
      ? {
          ...replicas.checks,
          readP50Ms: replicas.readP50Ms,
          proxy: replicas.proxy,
        }
      : undefined,
    search: pg
      ? {
          pg: {
            resources: pg.resources,
            collationSeconds: pg.collationSeconds,
            queryP50Ms: pg.queryP50Ms,
          },
        }
      : undefined,
    streams: streams
      ? {
          streams: streams.streams,
          users: streams.users,
          fanOutP50Ms: streams.fanOutP50Ms,
          fanOutP95Ms: streams.fanOutP95Ms,
          bytesPerStream: streams.bytesPerStream,
        }
      : undefined,
    tab: tab?.timeline500
      ? {
          timelineEntries: 500,
          runs: tab.timeline500.runs,
          medianMs: tab.timeline500.medianMs,
          worstMs: tab.timeline500.worstMs,
          entity200OpenMs: tab.entity200?.openMs,
        }
      : undefined,
    memory: memory
      ? {
          resources: memory.resources,
          rssGrowthMb: memory.rssGrowthMb,
          byPart: memory.byPart,
        }
      : undefined,
  };
}

/** The goals of issue 28, from bench-results.json: [goal, figure, met]. */
function goalRows(summary) {
  const rows = [];
  const r = summary.ratios;
  const add = (goal, figure, met) =>
    rows.push([
      goal,
      figure,
      met === undefined ? 'n/a' : met ? 'met' : '**not met**',
    ]);
  const x = v => (typeof v === 'number' ? ratio(v) : 'n/a');
  add(
    'cold entity read p50 (caches off) ≤ 1x catalog by-name p50, c10',
    x(r.coldEntityP50OverCatalogP50),
    r.coldEntityP50OverCatalogP50 === undefined
      ? undefined
      : r.coldEntityP50OverCatalogP50 <= 1,
  );
  add(
    'first read of 1,000 distinct users p50 ≤ 1x catalog by-name p50',
    x(r.firstReadP50OverCatalogP50),
    r.firstReadP50OverCatalogP50 === undefined
      ? undefined
      : r.firstReadP50OverCatalogP50 <= 1,
  );
  add(
    'warm entity read p50 ≤ 3x health route p50, c10',
    x(r.warmEntityP50OverHealthP50),
    r.warmEntityP50OverHealthP50 === undefined
      ? undefined
      : r.warmEntityP50OverHealthP50 <= 3,
  );
  if (summary.replicas) {
    const checks = [
      'readsAgree',
      'streamsOnBothReplicas',
      'historyExactlyOnce',
      'providerIngestsOncePerSchedule',
      'noRedoAfterRestart',
    ];
    add(
      `two replicas behind ${
        summary.replicas.proxy ?? 'a proxy'
      }: ${checks.join(', ')}`,
      checks.map(c => `${c} ${summary.replicas[c] ? 'yes' : 'no'}`).join('; '),
      checks.every(c => summary.replicas[c] === true),
    );
  }
  if (summary.search?.pg) {
    const pg = summary.search.pg;
    add(
      `search on PostgreSQL, ${count(
        pg.resources,
      )} Resources: collation, query p50`,
      `${seconds(pg.collationSeconds)}, ${ms(pg.queryP50Ms)}`,
      undefined,
    );
  }
  if (summary.streams) {
    const st = summary.streams;
    add(
      `${count(st.streams)} open streams (${st.users} users x ${
        st.streams / st.users
      }) receive one change: p95 ≤ 100 ms`,
      `p95 ${ms(st.fanOutP95Ms)} (p50 ${ms(st.fanOutP50Ms)}), ${count(
        st.bytesPerStream,
      )} bytes per stream`,
      st.fanOutP95Ms <= 100,
    );
  }
  if (summary.tab) {
    const t = summary.tab;
    add(
      `500-entry timeline drawn ≤ 500 ms after its data (worst of ${
        t.runs?.length ?? 0
      } runs)`,
      `median ${ms(t.medianMs)}, worst ${ms(t.worstMs)}`,
      t.worstMs <= 500,
    );
    if (t.entity200OpenMs !== undefined) {
      add(
        'entity linked to 200 Resources opens ≤ 1 s',
        ms(t.entity200OpenMs),
        t.entity200OpenMs <= 1000,
      );
    }
  }
  if (summary.memory) {
    add(
      `backend RSS growth at ${count(summary.memory.resources)} Resources`,
      mb(summary.memory.rssGrowthMb),
      undefined,
    );
  }
  return rows;
}

/** A Markdown table with its columns padded as Prettier pads them, so the page stays formatted. */
function table(header, rows) {
  const widths = header.map((_, i) =>
    Math.max(3, ...[header, ...rows].map(cells => [...cells[i]].length)),
  );
  const line = cells =>
    `| ${cells
      .map((cell, i) => cell + ' '.repeat(widths[i] - [...cell].length))
      .join(' | ')} |`;
  const rule = `| ${widths.map(w => '-'.repeat(w)).join(' | ')} |`;
  return [line(header), rule, ...rows.map(line)].join('\n');
}

/** "Measured <date or range> on <machine(s)>, load average <range>." — one line. */
function measuredLine(results) {
  const all = Object.values(results);
  const days = [...new Set(all.map(r => String(r.date).slice(0, 10)))].sort();
  const machines = [...new Set(all.map(r => r.machine).filter(Boolean))];
  const loads = all.map(r => r.loadAverage).filter(l => typeof l === 'number');
  // One day: the hours it spans (a `yarn bench` run takes about an hour), so a reader sees
  // whether the figures come from one run.
  const times = all
    .map(r => String(r.date))
    .filter(d => /T\d\d:\d\d/.test(d))
    .sort();
  const hhmm = d => d.slice(11, 16);
  const when =
    days.length === 1
      ? `${days[0]}${
          times.length > 1
            ? `, ${hhmm(times[0])} to ${hhmm(times[times.length - 1])} UTC`
            : ''
        }`
      : `${days[0]} to ${days[days.length - 1]}`;
  const load = loads.length
    ? `; 1-minute load average ${Math.min(...loads)}${
        loads.length > 1 && Math.max(...loads) !== Math.min(...loads)
          ? ` to ${Math.max(...loads)}`
          : ''
      }${loads.length < all.length ? ' where recorded' : ''}`
    : '';
  return `Measured ${when} on ${
    machines.join(' and ') || 'an unrecorded machine'
  }${load}.`;
}

function figures(results, summary) {
  const parts = [measuredLine(results), ''];
  parts.push(
    'Scale goals (from `.cache/bench/bench-results.json`):',
    '',
    table(['goal', 'figure', 'status'], goalRows(summary)),
    '',
  );
  parts.push(
    table(['benchmark', 'measure', 'figure', 'target'], summaryRows(results)),
  );
  const read = results['read-path'];
  if (read) {
    parts.push(
      '',
      `Read path, closed loop, ${count(
        read.requestsPerLevel,
      )} requests per route and concurrency level (c1, c10) after 100 warm-up:`,
      '',
      table(
        [
          'route',
          'c1 req/s',
          'c1 p50',
          'c1 p99',
          'c10 req/s',
          'c10 p50',
          'c10 p99',
        ],
        read.routes.map(r => [
          r.name,
          count(r.c1.rps),
          ms(r.c1.p50),
          ms(r.c1.p99),
          count(r.c10.rps),
          ms(r.c10.p50),
          ms(r.c10.p99),
        ]),
      ),
    );
    if (read.scale?.length) {
      parts.push(
        '',
        'Scale: entity read and catalog by-name at concurrency 10, 1,000 requests each, once the catalog has ingested the Resources:',
        '',
        table(
          [
            'Resources',
            'entity p50',
            'entity p99',
            'catalog p50',
            "cluster service's caches, heap / RSS",
          ],
          read.scale.map(s => [
            count(s.resources),
            ms(s.entityRead.p50),
            ms(s.entityRead.p99),
            `${ms(s.catalogRead.p50)}${
              s.catalogIngested ? '' : ' (catalog still ingesting)'
            }`,
            s.clusterCache
              ? `${mb(s.clusterCache.heapDeltaMB)} / ${mb(
                  s.clusterCache.rssDeltaMB,
                )}`
              : 'n/a',
          ]),
        ),
      );
    }
  }
  const missing = BENCHES.filter(([name]) => !results[name]);
  if (missing.length) {
    parts.push(
      '',
      `No results yet for: ${missing
        .map(([name, command]) => `${name} (\`${command}\`)`)
        .join(', ')}.`,
    );
  }
  return parts.join('\n');
}

function main() {
  const writeDocs = process.argv.includes('--write-docs');
  const results = readResults();
  if (Object.keys(results).length === 0) {
    throw new Error(
      `no results in ${path.relative(
        repoRoot,
        benchResultsDir,
      )}: run yarn bench first`,
    );
  }
  const summary = benchResults(results);
  const summaryFile = path.join(benchResultsDir, 'bench-results.json');
  fs.writeFileSync(summaryFile, `${JSON.stringify(summary, null, 2)}\n`);
  const page = fs.readFileSync(docsPage, 'utf8');
  const start = page.indexOf(START);
  const end = page.indexOf(END);
  if (start < 0 || end < start) {
    throw new Error(
      `${path.relative(repoRoot, docsPage)}: the figures markers are missing`,
    );
  }
  const updated = `${page.slice(0, start + START.length)}\n\n${figures(
    results,
    summary,
  )}\n\n${page.slice(end)}`;
  const out = writeDocs
    ? docsPage
    : path.join(benchResultsDir, 'benchmarks.md');
  fs.mkdirSync(path.dirname(out), { recursive: true });
  fs.writeFileSync(out, updated);
  console.log(
    `bench: figures written to ${path.relative(repoRoot, out)}${
      writeDocs ? '' : ' (yarn bench --write-docs updates docs/benchmarks.md)'
    }`,
  );
}

main();
