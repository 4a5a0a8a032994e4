/*
 * `yarn bench` (catalog part): a sandbox with 10,000 Resources across 50 Promises, then
 *   1. the Kratix entity provider's full run alone (read the watch-fed caches, build 10,100
 *      entities, hand them to a connection that only records them), median of 5 runs;
 *   2. the app's real backend (catalog on SQLite, the Kratix catalog module): time from start until
 *      the catalog serves all 10,000 Resource entities.
 * Prints figures and writes .cache/bench/catalog-ingestion.json (scripts/bench/results.js); no assertion on time.
 */
import type { LoggerService } from '@backstage/backend-plugin-api';
import type { EntityProviderMutation } from '@backstage/plugin-catalog-node';
import {
  KratixEntityProvider,
  readProviderOptions,
} from '@kratix-backstage/plugin-catalog-backend-module-kratix';
import { DefaultKratixClusterService } from '@kratix-backstage/plugin-kratix-node';
import { startSandbox } from '@kratix-backstage/sandbox';
import { sandboxClusterDetails } from '@kratix-backstage/sandbox/backend';
import { ConfigReader } from '@backstage/config';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { createAppBackend } from '../src/backend';
import { randomBytes } from 'node:crypto';
// Not a package: the one results writer every workspace's benchmark shares (repo tooling).
// eslint-disable-next-line @backstage/no-relative-monorepo-imports
import { writeBenchResult } from '../../../scripts/bench/results';
import { loadBenchResources, PER_PROMISE } from './scaleData';

/** A static external access token for this run only, for counting entities as a service. */
const COUNTER_TOKEN = randomBytes(24).toString('base64url');
const PROMISES = 50;
const PORT = 7009;
const base = `http://127.0.0.1:${PORT}`;

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1];

async function main() {
  process.env.NODE_ENV = process.env.NODE_ENV ?? 'development';
  const sandbox = await startSandbox({ seed: false, stepDelayMs: 0 });
  await loadBenchResources(sandbox, 0, PROMISES);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kratix-catalog-bench-'));
  try {
    // 1. The provider alone.
    const logger: LoggerService = {
      info() {},
      warn: message => console.warn(message),
      error: message => console.error(message),
      debug() {},
      child: () => logger,
    };
    const clusterService = await DefaultKratixClusterService.create({
      clusters: [sandboxClusterDetails(sandbox, { requestTimeoutMs: 30_000 })],
      bounds: { allowedNamespaces: ['default'] },
      logger,
    });
    clusterService.start();
    const mutations: EntityProviderMutation[] = [];
    const provider = new KratixEntityProvider({
      cluster: 'sandbox',
      primaryCluster: 'sandbox',
      clusterService,
      options: readProviderOptions(new ConfigReader({})),
      owners: { ownersOf: async resources => resources.map(() => undefined) },
      logger,
    });
    await provider.connect({
      applyMutation: async m => void mutations.push(m),
      refresh: async () => {},
    });
    const warm = performance.now();
    const first = await provider.refresh();
    const providerColdMs = performance.now() - warm;
    const samples: number[] = [];
    for (let i = 0; i < 5; i++) {
      const t = performance.now();
      await provider.refresh();
      samples.push(performance.now() - t);
    }
    provider.close();
    await clusterService.stop();
    console.log(
      `catalog ingestion, ${
        PROMISES * PER_PROMISE
      } Resources across ${PROMISES} Promises:`,
    );
    console.log(
      `  provider full run, first (cold caches, list over HTTPS): ${providerColdMs.toFixed(
        0,
      )} ms (${JSON.stringify(first)})`,
    );
    const providerWarmMs = median(samples);
    console.log(
      `  provider full run, warm caches (median of 5):            ${providerWarmMs.toFixed(
        0,
      )} ms`,
    );

    // 2. The app's backend with the real catalog.
    const config = path.join(dir, 'bench-config.yaml');
    fs.writeFileSync(
      config,
      JSON.stringify({
        backend: {
          baseUrl: base,
          listen: { host: '127.0.0.1', port: PORT },
          // The bench counts the entities as a service (an external access token): the app's
          // policy shows kratix-resource entities to their owners only, and the bench Resources
          // belong to ten teams.
          auth: {
            externalAccess: [
              {
                type: 'static',
                options: { token: COUNTER_TOKEN, subject: 'bench-counter' },
              },
            ],
          },
        },
        kratix: {
          sandbox: { enabled: false },
          clusters: [
            {
              name: 'sandbox',
              url: sandbox.url,
              auth: { type: 'serviceAccount', token: sandbox.token },
              caData: Buffer.from(sandbox.certificate!).toString('base64'),
              requestTimeoutMs: 30_000,
            },
          ],
        },
        catalog: {
          providers: {
            kratix: {
              defaultOwner: 'group:default/team-checkout',
              schedule: {
                frequency: { minutes: 10 },
                timeout: { minutes: 10 },
                initialDelay: { seconds: 0 },
              },
            },
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
    const started = performance.now();
    const backend = createAppBackend();
    await backend.start();
    try {
      const headers = { Authorization: `Bearer ${COUNTER_TOKEN}` };
      const count = async () => {
        const res = await fetch(
          `${base}/api/catalog/entities/by-query?filter=kind=resource,spec.type=kratix-resource&limit=1`,
          { headers },
        );
        return res.ok ? (((await res.json()) as any).totalItems as number) : 0;
      };
      const deadline = Date.now() + 15 * 60_000;
      let n = await count();
      let firstSeen: number | undefined;
      while (n < PROMISES * PER_PROMISE) {
        if (n > 0 && firstSeen === undefined) firstSeen = performance.now();
        if (Date.now() > deadline)
          throw new Error(`only ${n} Resource entities after 15 minutes`);
        await new Promise(r => setTimeout(r, 500));
        n = await count();
      }
      const doneMs = performance.now() - started;
      const firstNote = firstSeen
        ? ` (first ones after ${((firstSeen - started) / 1000).toFixed(1)} s)`
        : '';
      console.log(
        `  real catalog (SQLite), backend start until all ${n} Resource entities are served: ${(
          doneMs / 1000
        ).toFixed(1)} s${firstNote}`,
      );
      writeBenchResult('catalog-ingestion', {
        promises: PROMISES,
        resources: PROMISES * PER_PROMISE,
        providerColdMs,
        providerWarmMs,
        catalogAllServedSeconds: doneMs / 1000,
        catalogFirstServedSeconds: firstSeen
          ? (firstSeen - started) / 1000
          : undefined,
      });
    } finally {
      await backend.stop();
    }
  } finally {
    // The folder goes even when stopping the sandbox fails (one was left after a run of yarn bench).
    try {
      await sandbox.close();
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }
}

main().then(
  () => process.exit(0),
  error => {
    console.error(error);
    process.exit(1);
  },
);
