/*
 * The attacks of issue 20 on the scaffolder's waits, against the sandbox's seeded Resources:
 * starving the workers with waits (Medium 5), and reading another team's status from a task log
 * (Medium 3). Waits go through the real wait service; each test waits on explicit signals (log
 * lines, settled steps), never on time.
 */
import {
  startSandboxCluster,
  type SandboxCluster,
} from '../__testUtils__/sandboxCluster';
import {
  creationWith,
  permissionsThat,
  runAction,
  startStep,
  waitsWith,
} from '../__testUtils__/actionHarness';
import { createKratixResourceAction } from './createResourceAction';
import { createKratixWaitAction } from './waitResourceAction';

jest.setTimeout(60_000);

const APP = 'http://portal.example.com';
const REDIS = { group: 'marketplace.kratix.io', plural: 'redis' };
const TEAM_DATABASE = {
  group: 'sandbox.kratix.io',
  plural: 'teamdatabases',
};
const GUEST = 'user:default/guest';
const ALICE = 'user:default/alice';

let cluster: SandboxCluster;

beforeAll(async () => {
  cluster = await startSandboxCluster({
    allowedNamespaces: ['default'],
    allowedClusters: ['sandbox'],
  });
});
afterAll(() => cluster?.close());

describe('limits on waiting (issue 20, Medium 5 and Low 9)', () => {
  const actions = (limits = {}) => {
    const permissions = permissionsThat('allow');
    const waits = waitsWith(cluster.clusters, limits);
    const { creation } = creationWith(cluster.clusters, permissions);
    const deps = {
      clusters: cluster.clusters,
      permissions,
      waits,
      appBaseUrl: APP,
    };
    return {
      create: createKratixResourceAction({ ...deps, creation }),
      wait: createKratixWaitAction(deps),
    };
  };

  it('refuses a timeout above kratix.waits.maxSeconds, naming the field, before creating anything', async () => {
    const { create, wait } = actions();
    const before = cluster.sandbox.store.list(REDIS).items.length;
    await expect(
      runAction(create, {
        promise: 'redis',
        name: 'long-wait',
        entityRef: 'component:default/checkout-service',
        timeoutSeconds: 86400,
      }),
    ).rejects.toMatchObject({
      name: 'InputError',
      message:
        'timeoutSeconds: 86400 is more than the longest wait allowed, 900 seconds (kratix.waits.maxSeconds)',
    });
    expect(cluster.sandbox.store.get(REDIS, 'default', 'long-wait')).toBe(
      undefined,
    );
    expect(cluster.sandbox.store.list(REDIS).items).toHaveLength(before);
    await expect(
      runAction(wait, {
        promise: 'redis',
        name: 'slow-cache',
        timeoutSeconds: 901,
      }),
    ).rejects.toThrow(/^timeoutSeconds: 901 is more than the longest wait/);
    // The bound is configurable, and so is what it refuses.
    await expect(
      runAction(actions({ maxSeconds: 60 }).wait, {
        promise: 'redis',
        name: 'slow-cache',
        timeoutSeconds: 61,
      }),
    ).rejects.toThrow(/^timeoutSeconds: 61 is more than .* 60 seconds/);
  });

  it('fails ten steps on a Promise that never becomes Available at once, with its reason, and creates nothing', async () => {
    const { create, wait } = actions();
    const before = cluster.sandbox.store.list(TEAM_DATABASE).items.length;
    // Ten at once, each with the longest timeout: had any waited, the test would time out.
    const runs = Array.from({ length: 10 }, (_, i) =>
      runAction(create, {
        promise: 'team-database',
        name: `starve-${i}`,
        entityRef: 'component:default/checkout-service',
        spec: { team: 'checkout' },
        timeoutSeconds: 900,
      }).then(
        () => undefined,
        (error: Error) => error.message,
      ),
    );
    const messages = await Promise.all(runs);
    for (const message of messages) {
      expect(message).toMatch(
        /^Promise team-database on cluster sandbox is Unavailable, so its Resources' workflows do not run and a wait would never end: RequirementsFulfilled=False \(RequirementsNotInstalled\): Requirements not fulfilled; it requires postgresql$/,
      );
    }
    expect(cluster.sandbox.store.list(TEAM_DATABASE).items).toHaveLength(
      before,
    );
    // Waiting on an existing Resource of it fails the same way.
    await expect(
      runAction(wait, { promise: 'team-database', name: 'orders' }),
    ).rejects.toThrow(
      /^Promise team-database on cluster sandbox is Unavailable/,
    );
  });

  it("runs at most kratix.waits.maxPerUser of one user's waits, refuses the rest at once, and still runs another user's", async () => {
    const { wait } = actions({ maxPerUser: 3 });
    const waitAs = (user: string) =>
      startStep(
        ({ onLog, signal }) =>
          runAction(
            wait,
            { promise: 'redis', name: 'slow-cache', timeoutSeconds: 900 },
            { user, onLog, signal },
          ),
        /^Waiting for sandbox:redis\/default\/slow-cache/,
      );

    // slow-cache's workflow runs for an hour: every admitted wait holds its step.
    const guest = Array.from({ length: 10 }, () => waitAs(GUEST));
    const settled = await Promise.all(
      guest.map(step =>
        step.started.then(
          () => 'waiting',
          (error: Error) => error.message,
        ),
      ),
    );
    const waiting = guest.filter((_, i) => settled[i] === 'waiting');
    const refused = settled.filter(s => s !== 'waiting');
    expect(waiting).toHaveLength(3);
    expect(refused).toHaveLength(7);
    for (const message of refused) {
      expect(message).toBe(
        `Too many Kratix waits at once: ${GUEST} already has 3 running (at most 3, kratix.waits.maxPerUser, templates and AI assistants together); try again when one ends`,
      );
    }

    // Another user is not starved by guest's waits.
    const alice = waitAs(ALICE);
    await alice.started;

    // A slot comes back when a wait ends, and only then.
    const eleventh = waitAs(GUEST);
    await expect(eleventh.started).rejects.toThrow(/^Too many Kratix waits/);
    waiting[0].abort();
    expect(await waiting[0].outcome).toMatchObject({
      ok: false,
      error: { message: expect.stringMatching(/^Stopped waiting/) },
    });
    const again = waitAs(GUEST);
    await again.started;

    for (const step of [...waiting, alice, again]) step.abort();
    const ended = await Promise.all(
      [...waiting, alice, again].map(s => s.outcome),
    );
    expect(ended.every(o => !o.ok)).toBe(true);
    // Every slot is free again.
    const fresh = Array.from({ length: 3 }, () => waitAs(GUEST));
    await Promise.all(fresh.map(s => s.started));
    fresh.forEach(s => s.abort());
    await Promise.all(fresh.map(s => s.outcome));
  });
});

describe('task logs hold only what the initiator may read (issue 20, Medium 3)', () => {
  /** May create Resources for the entity, may not read them (kratix.resource.read denied). */
  const createAction = () => {
    const permissions = permissionsThat({
      'kratix.resource.read': 'deny',
      otherwise: 'allow',
    });
    const { creation } = creationWith(cluster.clusters, permissions);
    return createKratixResourceAction({
      creation,
      clusters: cluster.clusters,
      permissions,
      waits: waitsWith(cluster.clusters),
      appBaseUrl: APP,
    });
  };

  /** Anything of a Resource's status as a task log line or output would carry it. */
  const STATUS =
    /Condition |Pipeline |Message: |provisioned|elastic-user|PipelineCompleted|ConfigureWorkflowCompleted|Reason|could not provision/;

  it('logs and outputs no status of a Resource the initiator may not read, from creation to completion', async () => {
    const run = await runAction(createAction(), {
      promise: 'elastic-cloud',
      name: 'hidden-logs',
      entityRef: 'component:default/search-service',
      spec: { enableDataCollection: true },
    });
    expect(run.logs).toEqual([
      'Created elastic-cloud elastic-cloud default/hidden-logs on cluster sandbox for component:default/search-service',
      "You may not read sandbox:elastic-cloud/default/hidden-logs (kratix.resource.read): its status stays out of this task's log and output",
      'Done: the wait for elastic-cloud default/hidden-logs on cluster sandbox ended successfully',
    ]);
    expect(run.logs.join('\n')).not.toMatch(STATUS);
    expect(run.output).toEqual({
      resourceRef: 'sandbox:elastic-cloud/default/hidden-logs',
      message: '',
      status: {},
      conditions: [],
      entityUrl: `${APP}/catalog/default/component/search-service/kratix?resource=sandbox%2Fdefault%2Felastic-cloud%2Fhidden-logs`,
      adopted: false,
      dryRun: false,
    });
    // The Resource did get its status: it is only kept out of the task.
    const stored = cluster.sandbox.store.get(
      { group: 'workshop.kratix.io', plural: 'elastic-clouds' },
      'default',
      'hidden-logs',
    );
    expect(JSON.stringify(stored?.status)).toMatch(/provisioned/);
  });

  it('fails the step without the condition when the workflow fails', async () => {
    const logs: string[] = [];
    const failure = await runAction(
      createAction(),
      {
        promise: 'flaky-db',
        name: 'hidden-failure',
        entityRef: 'component:default/checkout-service',
      },
      { logs },
    ).then(
      () => undefined,
      (error: Error) => error.message,
    );
    expect(failure).toBe(
      'The workflow of flaky-db default/hidden-failure on cluster sandbox failed; its status is not shown: you may not read it',
    );
    expect([...logs, failure].join('\n')).not.toMatch(STATUS);
  });
});
