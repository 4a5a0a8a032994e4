/*
 * The tracker against the sandbox platform through the real cluster service (HTTPS, watch-fed
 * caches) and a real ledger (SQLite): what the watches see applies requests, the start-up walk
 * catches up, and the scheduled check marks stale and closed requests. The forge is a stand-in
 * object: where a pull request stands is kratix-node's GitRequestWriter's business, tested there.
 */
import { mockServices } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import { KRATIX_REQUEST_ID_ANNOTATION } from '@kratix-backstage/plugin-kratix-common';
import {
  DefaultKratixClusterService,
  type ResourceChange,
} from '@kratix-backstage/plugin-kratix-node';
import { engines } from '../__testUtils__/databases';
import { newRequest as request } from '../__testUtils__/requests';
import {
  startSandboxClusters,
  type SandboxClusters,
} from '../__testUtils__/sandboxClusters';
import { RequestLedger } from './RequestLedger';
import { RequestTracker, type PullRequestStates } from './RequestTracker';

const sqlite = engines[0];

const minutesAgo = (n: number) => new Date(Date.now() - n * 60_000);

describe('RequestTracker', () => {
  let platform: SandboxClusters;
  let clusters: DefaultKratixClusterService;
  let ledger: RequestLedger;
  let drop: () => Promise<void>;
  let tracker: RequestTracker | undefined;

  beforeAll(async () => {
    platform = await startSandboxClusters();
    ({ clusters } = platform);
  });
  afterAll(async () => {
    await platform?.close();
  });

  beforeEach(async () => {
    const connected = await sqlite.connect();
    drop = connected.drop;
    ledger = await RequestLedger.create({
      database: mockServices.database({ knex: connected.knex }),
    });
  });
  afterEach(async () => {
    await tracker?.stop();
    tracker = undefined;
    await drop();
  });

  const start = async (
    options: { writer?: PullRequestStates; config?: object } = {},
  ) => {
    const scheduler = mockServices.scheduler.mock();
    tracker = await RequestTracker.start({
      clusters,
      ledger,
      writer: options.writer,
      scheduler,
      logger: mockServices.logger.mock(),
      config: new ConfigReader(options.config ?? {}),
    });
    await tracker.caughtUp;
    return { tracker, scheduler };
  };

  /** The next change the watches report that matches; subscribe before causing it. */
  const nextChange = (match: (change: ResourceChange) => boolean) =>
    new Promise<ResourceChange>(resolve => {
      const unsubscribe = clusters.onResourceChange(change => {
        if (!change.work && match(change)) {
          unsubscribe();
          resolve(change);
        }
      });
    });
  const added = (name: string) => (change: ResourceChange) =>
    change.type === 'added' && change.object.metadata.name === name;
  const deleted = (name: string) => (change: ResourceChange) =>
    change.type === 'deleted' && change.object.metadata.name === name;

  /** Creates a redis Resource carrying a request id; resolves once the watches hold it. */
  const createCarrying = async (name: string, requestId: string) => {
    const seen = nextChange(added(name));
    await clusters.createResource({
      cluster: 'sandbox',
      promise: 'redis',
      namespace: 'default',
      name,
      spec: { size: 'small' },
      annotations: { [KRATIX_REQUEST_ID_ANNOTATION]: requestId },
    });
    return (await seen).object;
  };

  it('applies the pending request a new Resource carries, and supersedes an older one', async () => {
    const { tracker: started } = await start();
    await ledger.record(request('req-first', 'tracked-cache'), minutesAgo(2));
    await ledger.record(
      request('req-second', 'tracked-cache', { operation: 'update' }),
      minutesAgo(1),
    );
    // Another Resource's request stays as it is.
    await ledger.record(request('req-elsewhere', 'another-cache'));

    const object = await createCarrying('tracked-cache', 'req-second');
    // The tracker heard the change before this test's listener did: its write is queued.
    await started.flush();

    expect(await ledger.get('req-second')).toMatchObject({
      state: 'applied',
      resourceUid: object.metadata.uid,
      message: 'Applied by the platform',
    });
    expect((await ledger.get('req-first'))?.state).toBe('superseded');
    expect((await ledger.get('req-elsewhere'))?.state).toBe('pending');
  });

  it('does not apply a request whose id turns up on another Resource', async () => {
    const { tracker: started } = await start();
    await ledger.record(request('req-copied', 'intended-cache'));
    await createCarrying('copied-cache', 'req-copied');
    await started.flush();
    expect((await ledger.get('req-copied'))?.state).toBe('pending');
  });

  it('applies a pending delete request when its Resource goes', async () => {
    const { tracker: started } = await start();
    await ledger.record(request('req-create', 'doomed-cache'), minutesAgo(3));
    const object = await createCarrying('doomed-cache', 'req-create');
    await started.flush();
    expect((await ledger.get('req-create'))?.state).toBe('applied');

    await ledger.record(
      request('req-update', 'doomed-cache', { operation: 'update' }),
      minutesAgo(2),
    );
    await ledger.record(
      request('req-delete', 'doomed-cache', { operation: 'delete' }),
      minutesAgo(1),
    );
    const gone = nextChange(deleted('doomed-cache'));
    // The emulated Kratix may still be writing the Resource's status (a loaded machine): a delete
    // based on a version it just replaced is a 409; read it again and delete that one.
    for (let attempt = 1; ; attempt++) {
      try {
        await clusters.deleteResource(
          await clusters.resolveResource({
            cluster: 'sandbox',
            promise: 'redis',
            namespace: 'default',
            name: 'doomed-cache',
          }),
        );
        break;
      } catch (error) {
        if ((error as Error).name !== 'ConflictError' || attempt >= 10) {
          throw error;
        }
      }
    }
    expect((await gone).object.metadata.uid).toBe(object.metadata.uid);
    await started.flush();

    expect((await ledger.get('req-delete'))?.state).toBe('applied');
    expect((await ledger.get('req-update'))?.state).toBe('superseded');
    expect((await ledger.get('req-create'))?.state).toBe('applied');
  });

  it('applies, at start, a request whose Resource the watches already hold', async () => {
    await ledger.record(request('req-early', 'early-cache'));
    // Applied while no tracker ran (a backend restart).
    const object = await createCarrying('early-cache', 'req-early');
    expect((await ledger.get('req-early'))?.state).toBe('pending');

    await start();

    expect(await ledger.get('req-early')).toMatchObject({
      state: 'applied',
      resourceUid: object.metadata.uid,
    });
  });

  it('applies in the scheduled check what the watches showed before the request was recorded', async () => {
    const { tracker: started } = await start();
    // The agent synced before the backend had recorded the request: the change found no row.
    const object = await createCarrying('quick-cache', 'req-quick');
    // Its later status changes are not heard either (missed, as by a replica that was restarting).
    await started.stop();
    await ledger.record(request('req-quick', 'quick-cache'));
    // A delete of a Resource that is already gone.
    await ledger.record(
      request('req-gone', 'never-there', { operation: 'delete' }),
    );

    expect(await started.check()).toEqual({ applied: 2, stale: 0, closed: 0 });
    expect(await ledger.get('req-quick')).toMatchObject({
      state: 'applied',
      resourceUid: object.metadata.uid,
    });
    expect((await ledger.get('req-gone'))?.state).toBe('applied');
  });

  it('schedules the check at the configured interval and marks requests stale after the bound', async () => {
    const { tracker: started, scheduler } = await start({
      config: {
        kratix: {
          delivery: { staleAfterMinutes: 30, checkIntervalSeconds: 5 },
        },
      },
    });
    expect(scheduler.scheduleTask).toHaveBeenCalledWith(
      expect.objectContaining({
        id: 'kratix-requests-check',
        frequency: { milliseconds: 5000 },
      }),
    );
    await ledger.record(request('req-old', 'slow-cache'), minutesAgo(31));
    await ledger.record(request('req-recent', 'slower-cache'), minutesAgo(29));

    // The scheduler runs the check through the task's function.
    const task = scheduler.scheduleTask.mock.calls[0][0];
    await task.fn(new AbortController().signal);

    expect(await ledger.get('req-old')).toMatchObject({
      state: 'stale',
      message:
        'Committed abc1234 31 minutes ago; the platform has not applied it',
    });
    expect((await ledger.get('req-recent'))?.state).toBe('pending');
    expect(await started.check()).toEqual({ applied: 0, stale: 0, closed: 0 });
  });

  it('marks a request closed when the forge says its pull request was closed', async () => {
    const states: Record<string, 'open' | 'merged' | 'closed' | 'unknown'> = {
      'https://github.com/acme/requests/pull/1': 'closed',
      'https://github.com/acme/requests/pull/2': 'open',
      'https://github.com/acme/requests/pull/3': 'merged',
      'https://github.com/acme/requests/pull/5': 'closed',
    };
    const asked: string[] = [];
    const writer: PullRequestStates = {
      async pullRequestState(repository, url) {
        expect(repository).toBe('https://github.com/acme/requests.git');
        asked.push(url);
        if (url.endsWith('/4')) throw new Error('forge unreachable');
        return states[url];
      },
    };
    const { tracker: started } = await start({ writer });
    const pr = (n: number, at = new Date()) =>
      ledger.record(
        request(`req-pr-${n}`, `pr-cache-${n}`, {
          mode: 'pull-request',
          repository: 'https://github.com/acme/requests.git',
          branch: `kratix/req-pr-${n}`,
          pullRequestUrl: `https://github.com/acme/requests/pull/${n}`,
          pullRequestNumber: n,
        }),
        at,
      );
    await pr(1);
    await pr(2);
    await pr(3);
    await pr(4);
    // Stale already: the forge is still asked, though not on every check.
    await pr(5, minutesAgo(120));
    // A gitops request has no pull request to ask about.
    await ledger.record(request('req-gitops', 'plain-cache'));

    const now = new Date();
    expect(await started.check(now)).toEqual({
      applied: 0,
      stale: 1,
      closed: 2,
    });
    expect(await ledger.get('req-pr-1')).toMatchObject({
      state: 'closed',
      message: 'Pull request #1 was closed without merging',
    });
    expect((await ledger.get('req-pr-5'))?.state).toBe('closed');
    for (const n of [2, 3, 4]) {
      expect((await ledger.get(`req-pr-${n}`))?.state).toBe('pending');
    }
    expect([...asked].sort()).toEqual(
      [1, 2, 3, 4, 5].map(n => `https://github.com/acme/requests/pull/${n}`),
    );
    // Merged: still pending until the platform applies it, and says so; the forge is not asked again.
    expect(await ledger.get('req-pr-3')).toMatchObject({
      state: 'pending',
      pullRequestMergedAt: now.toISOString(),
      message: 'Pull request #3 merged, waiting for the platform to sync',
    });
    expect((await ledger.get('req-pr-2'))?.message).toBe(
      'Pull request #2 open, waiting for review',
    );
    asked.length = 0;
    await started.check(new Date(now.getTime() + 1000));
    expect(asked).not.toContain('https://github.com/acme/requests/pull/3');
    expect(asked).toContain('https://github.com/acme/requests/pull/2');
  });

  it('asks the forge about a stale pull request at most every 15 minutes', async () => {
    const asked: string[] = [];
    const { tracker: started } = await start({
      writer: {
        async pullRequestState(_repository, url) {
          asked.push(url);
          return 'open';
        },
      },
    });
    await ledger.record(
      request('req-slow-pr', 'review-cache', {
        mode: 'pull-request',
        branch: 'kratix/req-slow-pr',
        pullRequestUrl: 'https://github.com/acme/requests/pull/7',
        pullRequestNumber: 7,
      }),
      minutesAgo(120),
    );
    const now = Date.now();
    await started.check(new Date(now));
    expect((await ledger.get('req-slow-pr'))?.state).toBe('stale');
    await started.check(new Date(now + 60_000));
    expect(asked).toHaveLength(1);
    await started.check(new Date(now + 16 * 60_000));
    expect(asked).toHaveLength(2);
  });
});
