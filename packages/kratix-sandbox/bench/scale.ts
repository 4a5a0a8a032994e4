/*
 * `yarn bench` (sandbox part): fills the sandbox with 10,000 Resources across 50 Promises, then
 * times listing all of them over its Kubernetes API, in one call per kind and in pages of 500, the
 * way informers and kubectl do. Prints medians of several rounds and writes them to
 * .cache/bench/sandbox-scale.json (scripts/bench/results.js); no assertion on time.
 */
import { CustomObjectsApi, KubeConfig } from '@kubernetes/client-node';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
// Not a package: the one results writer every workspace's benchmark shares (repo tooling).
// eslint-disable-next-line @backstage/no-relative-monorepo-imports
import { writeBenchResult } from '../../../scripts/bench/results';
import { startSandbox } from '../src';
import { addScaleResources, installScalePromises } from '../src/testUtils';

const PROMISES = 50;
const PER_PROMISE = 200;
const ROUNDS = 7;

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1];

async function main() {
  // Removed at the end, like the sandbox's own work dir: a bench run leaves nothing in the temp dir.
  const benchDir = fs.mkdtempSync(path.join(os.tmpdir(), 'kratix-bench-'));
  const kubeconfigPath = path.join(benchDir, 'kubeconfig');
  const sandbox = await startSandbox({
    seed: false,
    stepDelayMs: 0,
    kubeconfigPath,
  });
  const { store } = sandbox;
  // The client the plugins use, trusting the sandbox's self-signed certificate via the kubeconfig.
  const kc = new KubeConfig();
  kc.loadFromFile(kubeconfigPath);
  const api = kc.makeApiClient(CustomObjectsApi);
  try {
    await installScalePromises(sandbox, { to: PROMISES });
    const fillStart = performance.now();
    await addScaleResources(sandbox, { to: PROMISES, perPromise: PER_PROMISE });
    const fillMs = performance.now() - fillStart;

    const listAll = async (limit?: number) => {
      let count = 0;
      for (let i = 0; i < PROMISES; i++) {
        let cont: string | undefined;
        do {
          const body = await api.listClusterCustomObject({
            group: 'bench.kratix.io',
            version: 'v1alpha1',
            plural: `bench${i}s`,
            limit,
            _continue: cont,
          });
          count += body.items.length;
          cont = body.metadata?.continue || undefined;
        } while (cont);
      }
      return count;
    };

    const time = async (fn: () => Promise<number>) => {
      const samples: number[] = [];
      let count = 0;
      for (let r = 0; r < ROUNDS; r++) {
        const t = performance.now();
        count = await fn();
        samples.push(performance.now() - t);
      }
      return { ms: median(samples), count };
    };

    const whole = await time(() => listAll());
    const paged = await time(() => listAll(500));
    const storeOnly = await time(async () => {
      let n = 0;
      for (let i = 0; i < PROMISES; i++) {
        n += store.list({ group: 'bench.kratix.io', plural: `bench${i}s` })
          .items.length;
      }
      return n;
    });

    console.log(
      `sandbox scale: ${PROMISES} Promises x ${PER_PROMISE} Resources`,
    );
    console.log(
      `  created ${
        whole.count
      } Resources (workflows settled) in ${fillMs.toFixed(0)} ms`,
    );
    console.log(
      `  list all with client-node, one call per kind: ${whole.ms.toFixed(
        1,
      )} ms (median of ${ROUNDS})`,
    );
    console.log(
      `  list all with client-node, pages of 500:      ${paged.ms.toFixed(
        1,
      )} ms`,
    );
    console.log(
      `  list all in-process from the store:          ${storeOnly.ms.toFixed(
        1,
      )} ms`,
    );
    console.log(
      `  client-node over HTTPS / in-process ratio:    ${(
        whole.ms / storeOnly.ms
      ).toFixed(1)}x`,
    );
    writeBenchResult('sandbox-scale', {
      promises: PROMISES,
      resources: whole.count,
      rounds: ROUNDS,
      fillMs,
      listOneCallPerKindMs: whole.ms,
      listPagesOf500Ms: paged.ms,
      listInProcessMs: storeOnly.ms,
    });
    if (whole.count !== PROMISES * PER_PROMISE || paged.count !== whole.count) {
      throw new Error(
        `listed ${whole.count}/${paged.count}, expected ${
          PROMISES * PER_PROMISE
        }`,
      );
    }
  } finally {
    await sandbox.close();
    fs.rmSync(benchDir, { recursive: true, force: true });
  }
}

main().catch(error => {
  console.error(error);
  process.exit(1);
});
