/*
 * `yarn bench` (scaffolder part): how long after the platform marks a Resource's workflow complete
 * does kratix:resource:create return? The sandbox runs in this process, so its store's synchronous
 * change feed gives the moment the status with the completion condition is written (same clock).
 * The action runs for real: the create flow, the cluster service over HTTPS, its watch, and the wait.
 * Only the catalog and permission answers are fixed here (they happen before the measured interval).
 * Medians and 95th percentiles; no assertion on time (the target is under 50 ms: a watch, not a poll).
 * Writes .cache/bench/action-wait.json (scripts/bench/results.js).
 */
import type { LoggerService } from '@backstage/backend-plugin-api';
import type { Entity } from '@backstage/catalog-model';
import type { CatalogService } from '@backstage/plugin-catalog-node';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import {
  DefaultKratixClusterService,
  DefaultKratixWaitService,
  ResourceCreation,
} from '@kratix-backstage/plugin-kratix-node';
import { createKratixResourceAction } from '@kratix-backstage/plugin-scaffolder-backend-module-kratix';
import { startSandbox } from '@kratix-backstage/sandbox';
import { sandboxClusterDetails } from '@kratix-backstage/sandbox/backend';
import { performance } from 'node:perf_hooks';
// Not a package: the one results writer every workspace's benchmark shares (repo tooling).
// eslint-disable-next-line @backstage/no-relative-monorepo-imports
import { writeBenchResult } from '../../../scripts/bench/results';

const ROUNDS = 40;

const quantile = (xs: number[], q: number) =>
  [...xs].sort((a, b) => a - b)[
    Math.min(xs.length - 1, Math.floor(q * xs.length))
  ];

const silent: LoggerService = {
  info() {},
  warn() {},
  error() {},
  debug() {},
  child: () => silent,
};

const entity: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name: 'checkout-service', namespace: 'default' },
  spec: { owner: 'group:default/team-checkout' },
};

async function main() {
  const sandbox = await startSandbox({ stepDelayMs: 0 });
  await sandbox.ready;
  const clusters = await DefaultKratixClusterService.create({
    clusters: [sandboxClusterDetails(sandbox, { requestTimeoutMs: 10_000 })],
    bounds: { allowedNamespaces: ['default'] },
    logger: silent,
  });
  clusters.start();
  const allow = async (requests: unknown[]) =>
    requests.map(() => ({ result: AuthorizeResult.ALLOW }));
  const creation = new ResourceCreation({
    catalog: {
      getEntityByRef: async () => entity,
    } as unknown as CatalogService,
    permissions: { authorize: allow, authorizeConditional: allow } as any,
    clusters,
    auditor: {
      createEvent: async () => ({
        success: async () => {},
        fail: async () => {},
      }),
    } as any,
  });
  const action = createKratixResourceAction({
    creation,
    clusters,
    permissions: { authorize: allow, authorizeConditional: allow } as any,
    waits: new DefaultKratixWaitService(clusters),
    appBaseUrl: 'http://127.0.0.1:3000',
  });

  // When the platform wrote the completion condition, per Resource name.
  const completedAt = new Map<string, number>();
  sandbox.store.subscribe(change => {
    const conditions: Array<{ type: string; status: string }> =
      (change.object as any).status?.conditions ?? [];
    const done = conditions.some(
      c =>
        (c.type === 'ConfigureWorkflowCompleted' ||
          c.type === 'PipelineCompleted') &&
        c.status === 'True',
    );
    const name = change.object.metadata.name;
    if (done && name && !completedAt.has(name))
      completedAt.set(name, performance.now());
  });

  const measure = async (promise: string, spec: Record<string, unknown>) => {
    const samples: number[] = [];
    for (let i = 0; i < ROUNDS; i++) {
      const name = `bench-${promise}-${i}`;
      let returnedAt = 0;
      await action.handler({
        input: {
          promise,
          name,
          namespace: 'default',
          entityRef: 'component:default/checkout-service',
          spec,
        },
        logger: silent,
        output: () => {},
        checkpoint: async (opts: any) => opts.fn(),
        createTemporaryDirectory: async () => '/tmp',
        getInitiatorCredentials: async () =>
          ({
            $$type: '@backstage/BackstageCredentials',
            principal: { type: 'user', userEntityRef: 'user:default/guest' },
          } as any),
        task: { id: 'bench' },
        workspacePath: '/tmp',
      } as any);
      returnedAt = performance.now();
      const completed = completedAt.get(name);
      if (completed === undefined)
        throw new Error(`${name}: no completion seen`);
      samples.push(returnedAt - completed);
    }
    return {
      median: quantile(samples, 0.5),
      p95: quantile(samples, 0.95),
      max: Math.max(...samples),
    };
  };

  try {
    const current = await measure('redis', { size: 'small' });
    const legacy = await measure('elastic-cloud', {
      enableDataCollection: false,
    });
    const fmt = (r: { median: number; p95: number; max: number }) =>
      `median ${r.median.toFixed(2)} ms, p95 ${r.p95.toFixed(
        2,
      )} ms, max ${r.max.toFixed(2)} ms`;
    console.log(
      `kratix:resource:create, platform marks the workflow complete → action returns, ${ROUNDS} Resources each:`,
    );
    console.log(`  redis (ConfigureWorkflowCompleted):       ${fmt(current)}`);
    console.log(`  elastic-cloud (legacy PipelineCompleted): ${fmt(legacy)}`);
    writeBenchResult('action-wait', { rounds: ROUNDS, current, legacy });
  } finally {
    await clusters.stop();
    await sandbox.close();
  }
}

main().then(
  () => process.exit(0),
  error => {
    console.error(error);
    process.exit(1);
  },
);
