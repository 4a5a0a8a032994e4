/*
 * `yarn bench` (backend part): the app's real backend with its embedded sandbox, timed side by side
 * in one run against the direct Kubernetes API call it stands in for:
 *   - ours:   GET /api/kratix/entities/component/default/search-service/resources
 *             (guest token check, catalog read as the user, conditional permission, watch-fed cache)
 *   - direct: client-node GET of the same Resource from the sandbox's Kubernetes API
 *   - timeline: the one-Resource route (also lists Jobs and Events and reads the history table)
 * Medians and 95th percentiles of sequential requests; no assertion on time. Writes
 * .cache/bench/kratix-routes.json (scripts/bench/results.js).
 */
import { CustomObjectsApi, KubeConfig } from '@kubernetes/client-node';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { createAppBackend } from '../src/backend';
import { guestHeaders } from './guestSignIn';
// Not a package: the one results writer every workspace's benchmark shares (repo tooling).
// eslint-disable-next-line @backstage/no-relative-monorepo-imports
import { writeBenchResult } from '../../../scripts/bench/results';

const ROUNDS = 300;
const PORT = 7177;
const base = `http://127.0.0.1:${PORT}`;

const quantile = (xs: number[], q: number) =>
  [...xs].sort((a, b) => a - b)[
    Math.min(xs.length - 1, Math.floor(q * xs.length))
  ];

async function timeIt(fn: () => Promise<void>) {
  for (let i = 0; i < 20; i++) await fn(); // warm-up
  const samples: number[] = [];
  for (let i = 0; i < ROUNDS; i++) {
    const t = performance.now();
    await fn();
    samples.push(performance.now() - t);
  }
  return { median: quantile(samples, 0.5), p95: quantile(samples, 0.95) };
}

async function main() {
  // Guest sign-in only works in development mode.
  process.env.NODE_ENV = process.env.NODE_ENV ?? 'development';
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kratix-bench-'));
  const kubeconfig = path.join(dir, 'kubeconfig');
  const config = path.join(dir, 'bench-config.yaml');
  fs.writeFileSync(
    config,
    JSON.stringify({
      backend: { baseUrl: base, listen: { host: '127.0.0.1', port: PORT } },
      kratix: {
        sandbox: {
          enabled: true,
          port: 0,
          stepDelayMs: 0,
          kubeconfigPath: kubeconfig,
        },
      },
    }),
  );
  process.argv.push(
    '--config',
    path.resolve('../../app-config.yaml'),
    '--config',
    config,
  );

  const backend = createAppBackend();
  await backend.start();
  try {
    const signIn = () => guestHeaders(base);
    const entityRoute = `${base}/api/kratix/entities/component/default/search-service/resources`;

    // Wait for the catalog to ingest the examples (the guest's teams come from it at sign-in) and
    // for the sandbox to finish the tutorial workflow.
    let headers = await signIn();
    for (let i = 0; ; i++) {
      headers = await signIn();
      const res = await fetch(entityRoute, { headers });
      const body = res.ok ? ((await res.json()) as any) : undefined;
      if (body?.items?.[0]?.workflowCompletion?.state === 'completed') break;
      if (i > 300) throw new Error(`not ready: ${res.status}`);
      await new Promise(r => setTimeout(r, 200));
    }

    const kc = new KubeConfig();
    kc.loadFromFile(kubeconfig);
    const k8s = kc.makeApiClient(CustomObjectsApi);

    const ours = await timeIt(async () => {
      const res = await fetch(entityRoute, { headers });
      if (!res.ok) throw new Error(`ours: ${res.status}`);
      await res.json();
    });
    const direct = await timeIt(async () => {
      await k8s.getNamespacedCustomObject({
        group: 'workshop.kratix.io',
        version: 'v1alpha1',
        namespace: 'default',
        plural: 'elastic-clouds',
        name: 'example',
      });
    });
    const timeline = await timeIt(async () => {
      const res = await fetch(
        `${entityRoute}/sandbox/default/elastic-cloud/example`,
        { headers },
      );
      if (!res.ok) throw new Error(`timeline: ${res.status}`);
      await res.json();
    });

    const fmt = (r: { median: number; p95: number }) =>
      `median ${r.median.toFixed(2)} ms, p95 ${r.p95.toFixed(2)} ms`;
    console.log(`kratix routes, ${ROUNDS} sequential requests each, one run:`);
    console.log(`  ours     entity resources route:         ${fmt(ours)}`);
    console.log(`  direct   client-node GET of the Resource: ${fmt(direct)}`);
    console.log(`  timeline one-Resource route:             ${fmt(timeline)}`);
    console.log(
      `  ratio ours/direct (median):              ${(
        ours.median / direct.median
      ).toFixed(2)}x`,
    );
    console.log(
      `  ratio timeline/direct (median):          ${(
        timeline.median / direct.median
      ).toFixed(2)}x`,
    );
    writeBenchResult('kratix-routes', {
      requests: ROUNDS,
      entityResources: ours,
      direct,
      timeline,
    });
  } finally {
    await backend.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

main().then(
  () => process.exit(0),
  error => {
    console.error(error);
    process.exit(1);
  },
);
