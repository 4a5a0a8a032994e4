import type { KubeObject } from '../store/types';
import {
  conditionOf,
  PIPELINES_DIR,
  SEED_DIR,
  startHarness,
  statusOf,
  Harness,
} from './__testUtils__/harness';
import { loadYamlDocuments, loadYamlFolder, readYamlFolder } from './seed';

let h: Harness;
afterEach(async () => {
  delete process.env.KRATIX_SANDBOX_SLOW_PIPELINE_SECONDS;
  await h?.stop();
});

const get = (group: string, plural: string, name: string) =>
  h.store.get({ group, plural }, 'default', name);

describe('seed', () => {
  it('reads Promises and Resources from the default seed', () => {
    // seed/rbac is the example teams' RBAC, loaded only when RBAC is on (see rbac/exampleTeams.test.ts).
    const objects = readYamlFolder(SEED_DIR, { skip: ['rbac'] });
    expect(
      objects
        .filter(o => o.kind === 'Promise')
        .map(o => o.metadata.name)
        .sort(),
    ).toEqual(['elastic-cloud', 'jenkins', 'redis', 'team-database']);
    expect(objects.length).toBe(13);
  });

  it('loads the default seed into the states it is meant to show', async () => {
    process.env.KRATIX_SANDBOX_SLOW_PIPELINE_SECONDS = '0'; // let the "running" Resource finish here
    h = startHarness(PIPELINES_DIR, 5);
    const result = await loadYamlFolder(h.store, SEED_DIR);
    expect(result.errors).toEqual([]);
    await h.emulator.idle();

    const elastic = get('workshop.kratix.io', 'elastic-clouds', 'example');
    expect(statusOf(elastic).message).toBe(
      'Instance example provisioned with preconfigured system metrics',
    );
    expect(conditionOf(elastic, 'PipelineCompleted')?.status).toBe('True');

    const redis = get('marketplace.kratix.io', 'redis', 'example');
    expect(statusOf(redis).connectionDetails).toMatchObject({
      host: 'rfs-example.default.svc.cluster.local',
    });
    expect(conditionOf(redis, 'Reconciled')?.status).toBe('True');

    expect(
      statusOf(get('marketplace.kratix.io', 'jenkins', 'example')).message,
    ).toBe('Resource requested');
    expect(
      conditionOf(
        get('marketplace.kratix.io', 'jenkins', 'broken'),
        'ConfigureWorkflowCompleted',
      ),
    ).toMatchObject({ status: 'False', reason: 'ConfigureWorkflowFailed' });
    expect(
      conditionOf(
        get('marketplace.kratix.io', 'redis', 'paused-cache'),
        'Reconciled',
      ),
    ).toMatchObject({ reason: 'PausedReconciliation' });
    const orders = get('sandbox.kratix.io', 'teamdatabases', 'orders');
    expect(statusOf(orders).message).toBe('Pending');
    expect(conditionOf(orders, 'PromiseAvailable')).toMatchObject({
      status: 'False',
      reason: 'PromiseRequirementsNotInstalled',
    });
    expect(
      statusOf(
        h.store.get(
          { group: 'platform.kratix.io', plural: 'promises' },
          undefined,
          'team-database',
        ),
      ).status,
    ).toBe('Unavailable');
  });

  it('keeps the slow seeded Resource in progress', async () => {
    process.env.KRATIX_SANDBOX_SLOW_PIPELINE_SECONDS = '600';
    h = startHarness(PIPELINES_DIR, 5);
    await loadYamlFolder(h.store, SEED_DIR);
    // Resolves on the store change that shows its pipeline Running (no timing involved).
    await new Promise<void>(resolve => {
      const running = () =>
        statusOf(get('marketplace.kratix.io', 'redis', 'slow-cache')).kratix
          ?.workflows?.pipelines?.[0]?.phase === 'Running';
      if (running()) {
        resolve();
        return;
      }
      const unsubscribe = h.store.subscribe(() => {
        if (running()) {
          unsubscribe();
          resolve();
        }
      });
    });
    const slow = get('marketplace.kratix.io', 'redis', 'slow-cache');
    expect(statusOf(slow).message).toBe('Pending');
    expect(conditionOf(slow, 'ConfigureWorkflowCompleted')?.reason).toBe(
      'PipelinesInProgress',
    );
    await h.stop(); // kills the sleeping script
  });

  it('creates missing namespaces and skips objects that already exist', async () => {
    h = startHarness(PIPELINES_DIR, 0);
    const ns: KubeObject = {
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: { name: 'placeholder' },
    };
    const promise: KubeObject = {
      apiVersion: 'platform.kratix.io/v1alpha1',
      kind: 'Promise',
      metadata: { name: 'nsthing' },
      spec: {
        api: {
          apiVersion: 'apiextensions.k8s.io/v1',
          kind: 'CustomResourceDefinition',
          metadata: { name: 'nsthings.test.kratix.io' },
          spec: {
            group: 'test.kratix.io',
            names: { kind: 'NsThing', plural: 'nsthings' },
            scope: 'Namespaced',
            versions: [
              {
                name: 'v1',
                served: true,
                storage: true,
                schema: {
                  openAPIV3Schema: {
                    type: 'object',
                    'x-kubernetes-preserve-unknown-fields': true,
                  },
                },
              },
            ],
          },
        },
      },
    };
    const resource: KubeObject = {
      apiVersion: 'test.kratix.io/v1',
      kind: 'NsThing',
      metadata: { name: 'a', namespace: 'team-a' },
    };
    // Resource listed first: the loader still installs the Promise first and waits for its CRD.
    const result = await loadYamlDocuments(h.store, [resource, promise, ns]);
    expect(result.errors).toEqual([]);
    expect(result.created).toEqual([
      'Namespace/placeholder',
      'Promise/nsthing',
      'Namespace/team-a',
      'NsThing/team-a/a',
    ]);
    const again = await loadYamlDocuments(h.store, [promise]);
    expect(again.skipped).toEqual(['Promise/nsthing']);
  });
});
