/*
 * The scheduled check reading gitops branches back, against the sandbox's real Git server through
 * kratix-node's GitRequestWriter (credentials from an `integrations` config, as in production): a
 * request whose file someone else removed or replaced before the platform applied it is closed,
 * saying so; a delete whose file is back is closed; what the branch still holds stays pending; each
 * repository is read once per check; a repository that cannot be read changes nothing and is
 * logged once, without its credentials. The sandbox's Git sync runs only on demand, so nothing is
 * applied behind the test's back.
 */
import { mockServices } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import { KRATIX_REQUEST_ID_ANNOTATION } from '@kratix-backstage/plugin-kratix-common';
import {
  DefaultKratixClusterService,
  GitRequestWriter,
} from '@kratix-backstage/plugin-kratix-node';
// eslint-disable-next-line @backstage/no-mixed-plugin-imports -- the sandbox platform, for tests only (a devDependency)
import type { Sandbox } from '@kratix-backstage/sandbox';
import type { Knex } from 'knex';
import { engines } from '../__testUtils__/databases';
import { newRequest, requestFileOf as fileOf } from '../__testUtils__/requests';
import {
  startSandboxClusters,
  type SandboxClusters,
} from '../__testUtils__/sandboxClusters';
import { RequestLedger, type NewRequest } from './RequestLedger';
import { RequestTracker } from './RequestTracker';

const sqlite = engines[0];
/** A Git server that is not there; its integration's password must never be logged. */
const UNREACHABLE = 'http://127.0.0.1:1/kratix-requests.git';
const UNREACHABLE_SECRET = 'unreachable-password-5c4b3a';

const manifest = (name: string, requestId: string) =>
  [
    'apiVersion: marketplace.kratix.io/v1alpha1',
    'kind: redis',
    'metadata:',
    `  name: ${name}`,
    '  namespace: default',
    '  annotations:',
    `    ${KRATIX_REQUEST_ID_ANNOTATION}: ${requestId}`,
    'spec:',
    '  size: small',
    '',
  ].join('\n');

const minutesAgo = (n: number) => new Date(Date.now() - n * 60_000);

describe('RequestTracker, gitops requests read back from their branch', () => {
  jest.setTimeout(120_000);
  let platform: SandboxClusters;
  let sandbox: Sandbox;
  let clusters: DefaultKratixClusterService;
  let writer: GitRequestWriter;
  let knex: Knex;
  let drop: () => Promise<void>;
  let ledger: RequestLedger;
  const trackers: RequestTracker[] = [];

  beforeAll(async () => {
    platform = await startSandboxClusters({ git: { intervalSeconds: 0 } });
    ({ sandbox, clusters } = platform);
    const { url, username, token } = sandbox.git!;
    const host = new URL(url).host;
    writer = GitRequestWriter.fromConfig(
      new ConfigReader({
        integrations: {
          gitea: [
            { host, baseUrl: `http://${host}`, username, password: token },
            {
              host: '127.0.0.1:1',
              baseUrl: 'http://127.0.0.1:1',
              username: 'backstage',
              password: UNREACHABLE_SECRET,
            },
          ],
        },
      }),
      { logger: mockServices.logger.mock() },
    );
  });
  afterAll(async () => {
    await platform?.close();
  });

  beforeEach(async () => {
    ({ knex, drop } = await sqlite.connect());
    ledger = await RequestLedger.create({
      database: mockServices.database({ knex }),
    });
  });
  afterEach(async () => {
    await Promise.all(trackers.splice(0).map(t => t.stop()));
    await drop();
  });

  /** A tracker (a replica) over `over` ledger, whose branch reads are counted. */
  const start = async (over: RequestLedger = ledger) => {
    const reads: string[] = [];
    const logger = mockServices.logger.mock();
    const tracker = await RequestTracker.start({
      clusters,
      ledger: over,
      writer: {
        pullRequestState: (repository, url) =>
          writer.pullRequestState(repository, url),
        readBranch: (repository, branch, paths) => {
          reads.push(`${repository} ${branch}`);
          return writer.readBranch(repository, branch, paths);
        },
      },
      scheduler: mockServices.scheduler.mock(),
      logger,
      config: new ConfigReader({}),
    });
    trackers.push(tracker);
    await tracker.caughtUp;
    return { tracker, reads, logger };
  };

  /** A commit on the sandbox's branch; `author` is who made it (default: the requesting user). */
  const commit = (
    name: string,
    content: string | null,
    author = { name: 'Alice', email: 'alice@example.com' },
  ) =>
    writer.write({
      mode: 'gitops',
      repository: sandbox.git!.url,
      branch: sandbox.git!.branch,
      filePath: fileOf(name),
      content,
      message: `${content === null ? 'Remove' : 'Change'} ${fileOf(name)}`,
      author,
    });
  const someoneElse = { name: 'Someone Else', email: 'someone@example.com' };

  /** Delivers a request as GitRequestDelivery does: the commit first, then the ledger's row. */
  const deliver = async (
    id: string,
    name: string,
    over: Partial<NewRequest> = {},
    at?: Date,
  ) => {
    const operation = over.operation ?? 'create';
    const written = await commit(
      name,
      operation === 'delete' ? null : manifest(name, id),
    );
    return ledger.record(
      newRequest(id, name, {
        repository: sandbox.git!.url,
        branch: written.branch,
        commitSha: written.commitSha,
        ...over,
      }),
      at,
    );
  };

  /** A Resource on the cluster, so a delete request for it is not applied by its absence. */
  const onCluster = (name: string) =>
    clusters.createResource({
      cluster: 'sandbox',
      promise: 'redis',
      namespace: 'default',
      name,
      spec: { size: 'small' },
    });

  it('closes requests whose file was removed or replaced, and a delete whose file is back; one read for the branch', async () => {
    const { tracker, reads, logger } = await start();
    await deliver('req-removed', 'removed-cache');
    await deliver('req-replaced', 'replaced-cache');
    await deliver('req-kept', 'kept-cache');
    // Stale: the platform may still apply it, and its file is still there.
    await deliver('req-kept-stale', 'kept-stale-cache', {}, minutesAgo(120));
    // A stale request overwritten by this backend's own later update: superseded once that applies.
    await deliver('req-older', 'updated-cache', {}, minutesAgo(120));
    await deliver('req-newer', 'updated-cache', { operation: 'update' });
    await onCluster('deleted-cache');
    await onCluster('put-back-cache');
    await commit('deleted-cache', manifest('deleted-cache', 'req-before'));
    await commit('put-back-cache', manifest('put-back-cache', 'req-before'));
    await deliver('req-delete', 'deleted-cache', { operation: 'delete' });
    await deliver('req-delete-undone', 'put-back-cache', {
      operation: 'delete',
    });

    // Someone else's commits on the branch, before the platform synced any of it.
    await commit('removed-cache', null, someoneElse);
    await commit(
      'replaced-cache',
      manifest('replaced-cache', 'req-by-hand'),
      someoneElse,
    );
    await commit(
      'put-back-cache',
      manifest('put-back-cache', 'req-before'),
      someoneElse,
    );

    // The two old ones go stale first; the branch is read after.
    expect(await tracker.check()).toEqual({ applied: 0, stale: 2, closed: 3 });

    expect(await ledger.get('req-removed')).toMatchObject({
      state: 'closed',
      message:
        'Its file was removed from or replaced on main before the platform applied it',
    });
    expect(await ledger.get('req-replaced')).toMatchObject({
      state: 'closed',
      message:
        'Its file was removed from or replaced on main before the platform applied it',
    });
    expect(await ledger.get('req-delete-undone')).toMatchObject({
      state: 'closed',
      message:
        'Its file was put back on main before the platform deleted the Resource',
    });
    expect((await ledger.get('req-kept'))?.state).toBe('pending');
    expect((await ledger.get('req-kept-stale'))?.state).toBe('stale');
    expect((await ledger.get('req-older'))?.state).toBe('stale');
    expect((await ledger.get('req-newer'))?.state).toBe('pending');
    expect((await ledger.get('req-delete'))?.state).toBe('pending');
    // Every request is on one repository and branch: read once.
    expect(reads).toEqual([`${sandbox.git!.url} main`]);
    expect(logger.info).toHaveBeenCalledWith(
      expect.stringContaining(`was removed before the platform applied it`),
    );
    expect(logger.warn).not.toHaveBeenCalled();

    // The next check finds nothing more to close.
    expect(await tracker.check()).toEqual({ applied: 0, stale: 0, closed: 0 });
  });

  it('changes nothing for a repository it cannot read, and logs it once without its credentials', async () => {
    const { tracker, reads, logger } = await start();
    const elsewhere = (id: string, name: string) =>
      ledger.record(
        newRequest(id, name, { entityRef: undefined, repository: UNREACHABLE }),
      );
    await elsewhere('req-far-1', 'far-cache-1');
    await elsewhere('req-far-2', 'far-cache-2');
    // A readable repository in the same check is still followed.
    await deliver('req-near', 'near-cache');
    await commit('near-cache', null, someoneElse);

    expect(await tracker.check()).toEqual({ applied: 0, stale: 0, closed: 1 });

    expect((await ledger.get('req-far-1'))?.state).toBe('pending');
    expect((await ledger.get('req-far-2'))?.state).toBe('pending');
    expect((await ledger.get('req-near'))?.state).toBe('closed');
    expect([...reads].sort()).toEqual(
      [`${UNREACHABLE} main`, `${sandbox.git!.url} main`].sort(),
    );
    expect(logger.warn).toHaveBeenCalledTimes(1);
    const [warning] = logger.warn.mock.calls[0];
    expect(warning).toContain(
      `Could not read main of ${UNREACHABLE} to follow 2 Kratix request(s) on it`,
    );
    expect(warning).toContain('could not be reached');
    expect(warning).not.toContain(UNREACHABLE_SECRET);
    expect(warning).not.toContain(sandbox.git!.token);
  });

  it('closes a request once when two replicas check at the same time', async () => {
    await deliver('req-raced', 'raced-cache');
    await commit('raced-cache', null, someoneElse);
    // Another replica: its own ledger over the same database.
    const replica = await RequestLedger.create({
      database: mockServices.database({ knex }),
    });
    const [one, two] = await Promise.all([start(), start(replica)]);

    const results = await Promise.all([
      one.tracker.check(),
      two.tracker.check(),
    ]);

    expect(results.map(r => r.closed).sort()).toEqual([0, 1]);
    expect((await ledger.get('req-raced'))?.state).toBe('closed');
  });
});
