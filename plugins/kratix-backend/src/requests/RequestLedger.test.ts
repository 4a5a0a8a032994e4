/*
 * The ledger against real databases (SQLite always, PostgreSQL when KRATIX_TEST_POSTGRES_URL names
 * a server): requests leave `pending` once, whoever races to move them, and read back as recorded.
 */
import { mockServices } from '@backstage/backend-test-utils';
import type { Knex } from 'knex';
import { engines } from '../__testUtils__/databases';
import { newRequest } from '../__testUtils__/requests';
import { ResourceJournal } from '../journal/ResourceJournal';
import { RequestLedger, type NewRequest } from './RequestLedger';

const target = {
  cluster: 'sandbox',
  namespace: 'default',
  promise: 'redis',
  name: 'orders-cache',
};

const T0 = new Date('2026-12-09T10:00:00Z');
const minutes = (n: number) => new Date(T0.getTime() + n * 60_000);

const gitops = (id: string, over: Partial<NewRequest> = {}): NewRequest =>
  newRequest(id, target.name, {
    ...target,
    entityUid: 'uid-of-checkout-service',
    repository: 'https://git.example.com/acme/platform-requests.git',
    commitUrl: 'https://git.example.com/acme/platform-requests/commit/abc1234',
    ...over,
  });

const pullRequest = (id: string, over: Partial<NewRequest> = {}) =>
  gitops(id, {
    mode: 'pull-request',
    branch: `kratix/${id}`,
    pullRequestUrl: 'https://github.com/acme/platform-requests/pull/12',
    pullRequestNumber: 12,
    ...over,
  });

describe.each(engines)('RequestLedger on $name', engine => {
  let knex: Knex;
  let drop: () => Promise<void>;
  let ledger: RequestLedger;

  beforeEach(async () => {
    ({ knex, drop } = await engine.connect());
    ledger = await RequestLedger.create({
      database: mockServices.database({ knex }),
    });
  });
  afterEach(() => drop());

  it('records a request as pending and reads it back as delivered', async () => {
    const recorded = await ledger.record(gitops('req-1'), T0);
    expect(recorded).toEqual({
      ...gitops('req-1'),
      state: 'pending',
      message: 'Committed abc1234 to main, waiting for the platform to sync',
      createdAt: T0.toISOString(),
      updatedAt: T0.toISOString(),
    });
    expect(await ledger.get('req-1', T0)).toEqual(recorded);
    expect(await ledger.get('req-unknown')).toBeUndefined();
    // The id is the Resource's annotation: it is recorded once.
    await expect(ledger.record(gitops('req-1'))).rejects.toMatchObject({
      name: 'ConflictError',
      message: 'Request req-1 is already recorded',
    });
  });

  it('says where a pull request stands, and leaves out what was not given', async () => {
    const recorded = await ledger.record(
      pullRequest('req-pr', {
        entityRef: undefined,
        entityUid: undefined,
        commitUrl: undefined,
      }),
      T0,
    );
    expect(recorded.message).toBe('Pull request #12 open, waiting for review');
    expect(recorded.pullRequestNumber).toBe(12);
    expect(recorded).not.toHaveProperty('entityRef');
    expect(recorded).not.toHaveProperty('entityUid');
    expect(recorded).not.toHaveProperty('commitUrl');
    expect(recorded).not.toHaveProperty('resourceUid');
  });

  it('refuses an operation or mode it does not know', async () => {
    await expect(
      ledger.record(gitops('req-x', { operation: 'patch' as any })),
    ).rejects.toThrow('Unknown request operation "patch"');
    await expect(
      ledger.record(gitops('req-y', { mode: 'direct' as any })),
    ).rejects.toThrow('Unknown delivery mode "direct"');
  });

  it('lets exactly one of two racing markApplied calls change the request', async () => {
    await ledger.record(gitops('req-1'), T0);
    // Another replica's ledger on the same database sees the same Resource appear.
    const replica = await RequestLedger.create({
      database: mockServices.database({ knex }),
    });
    const results = await Promise.all([
      ledger.markApplied('req-1', 'uid-a', minutes(1)),
      replica.markApplied('req-1', 'uid-a', minutes(1)),
    ]);
    expect(results.filter(Boolean)).toHaveLength(1);
    const applied = await ledger.get('req-1');
    expect(applied).toMatchObject({
      state: 'applied',
      resourceUid: 'uid-a',
      message: 'Applied by the platform',
      updatedAt: minutes(1).toISOString(),
    });
    // Settled: nothing moves it again.
    expect(await ledger.markApplied('req-1', 'uid-b')).toBe(false);
    expect(await ledger.markClosed('req-1')).toBe(false);
    expect((await ledger.get('req-1'))?.resourceUid).toBe('uid-a');
  });

  it('finds the open create or update for a name (the 409), not deletes nor settled ones', async () => {
    expect(await ledger.openFor(target)).toBeUndefined();
    await ledger.record(gitops('req-delete', { operation: 'delete' }), T0);
    expect(await ledger.openFor(target)).toBeUndefined();
    await ledger.record(gitops('req-create'), minutes(1));
    await ledger.record(
      gitops('req-update', { operation: 'update' }),
      minutes(2),
    );
    expect((await ledger.openFor(target))?.id).toBe('req-update');
    expect(
      await ledger.openFor({ ...target, name: 'other-cache' }),
    ).toBeUndefined();
    expect(
      await ledger.openFor({ ...target, cluster: 'production' }),
    ).toBeUndefined();
    await ledger.markApplied('req-update');
    expect((await ledger.openFor(target))?.id).toBe('req-create');
    await ledger.markApplied('req-create');
    expect(await ledger.openFor(target)).toBeUndefined();
  });

  it('supersedes only the older open requests for the same Resource', async () => {
    await ledger.record(gitops('req-1'), T0);
    await ledger.record(gitops('req-2', { operation: 'update' }), minutes(1));
    await ledger.record(gitops('req-3', { operation: 'update' }), minutes(2));
    await ledger.record(gitops('req-4', { operation: 'update' }), minutes(3));
    await ledger.record(gitops('req-other', { name: 'other-cache' }), T0);
    await ledger.markStale(minutes(0.5), minutes(60));
    expect((await ledger.get('req-1'))?.state).toBe('stale');

    expect(await ledger.markApplied('req-3', 'uid-3')).toBe(true);
    expect(await ledger.supersedeOlder(target, 'req-3', minutes(4))).toBe(2);
    const states = await Promise.all(
      ['req-1', 'req-2', 'req-3', 'req-4', 'req-other'].map(
        async id => (await ledger.get(id))?.state,
      ),
    );
    expect(states).toEqual([
      'superseded',
      'superseded',
      'applied',
      'pending',
      'stale',
    ]);
    expect((await ledger.get('req-1'))?.message).toBe(
      'Superseded by a later request',
    );
    // A second replica doing the same finds nothing left to change.
    expect(await ledger.supersedeOlder(target, 'req-3')).toBe(0);
    expect(await ledger.supersedeOlder(target, 'req-unknown')).toBe(0);
  });

  it('marks pending requests stale after the bound, and the platform can still apply them', async () => {
    await ledger.record(gitops('req-old'), T0);
    await ledger.record(pullRequest('req-old-pr', { name: 'pr-cache' }), T0);
    await ledger.record(gitops('req-new', { name: 'new-cache' }), minutes(30));
    expect(await ledger.markStale(minutes(10), minutes(75))).toBe(2);
    // Another replica's check at the same time changes nothing more.
    expect(await ledger.markStale(minutes(10), minutes(75))).toBe(0);

    const stale = await ledger.get('req-old', minutes(75));
    expect(stale).toMatchObject({
      state: 'stale',
      message:
        'Committed abc1234 75 minutes ago; the platform has not applied it',
    });
    expect((await ledger.get('req-old', minutes(60 * 5)))?.message).toBe(
      'Committed abc1234 5 hours ago; the platform has not applied it',
    );
    expect(
      (await ledger.get('req-old-pr', minutes(60 * 24 * 3)))?.message,
    ).toBe(
      'Pull request #12 opened 3 days ago; the platform has not applied it',
    );
    expect((await ledger.get('req-new'))?.state).toBe('pending');
    expect(await ledger.markApplied('req-old', 'uid-late')).toBe(true);
  });

  it('notes a merged pull request once, and says so until the platform applies it', async () => {
    await ledger.record(pullRequest('req-merged'), T0);
    expect(await ledger.markMerged('req-merged', minutes(5))).toBe(true);
    expect(await ledger.markMerged('req-merged', minutes(6))).toBe(false);
    expect(await ledger.get('req-merged', minutes(10))).toMatchObject({
      state: 'pending',
      pullRequestMergedAt: minutes(5).toISOString(),
      message: 'Pull request #12 merged, waiting for the platform to sync',
    });
    expect(await ledger.markStale(minutes(90), minutes(120))).toBe(1);
    expect((await ledger.get('req-merged', minutes(185)))?.message).toBe(
      'Pull request #12 merged 3 hours ago; the platform has not applied it',
    );
    expect(await ledger.markApplied('req-merged', 'uid-1')).toBe(true);
    expect(await ledger.markMerged('req-merged')).toBe(false);
  });

  it('marks a pull request closed once', async () => {
    await ledger.record(pullRequest('req-pr'), T0);
    expect(await ledger.markClosed('req-pr', minutes(5))).toBe(true);
    expect(await ledger.markClosed('req-pr', minutes(6))).toBe(false);
    expect(await ledger.get('req-pr')).toMatchObject({
      state: 'closed',
      message: 'Pull request #12 was closed without merging',
      updatedAt: minutes(5).toISOString(),
    });
    expect(await ledger.markApplied('req-pr')).toBe(false);
  });

  it('closes a gitops request its branch no longer holds once, whichever replica races to move it', async () => {
    await ledger.record(gitops('req-gone'), T0);
    await ledger.record(gitops('req-raced', { name: 'raced-cache' }), T0);
    await ledger.record(
      gitops('req-delete', { name: 'deleted-cache', operation: 'delete' }),
      T0,
    );
    await ledger.record(pullRequest('req-pr', { name: 'reviewed-cache' }), T0);
    const replica = await RequestLedger.create({
      database: mockServices.database({ knex }),
    });

    // Two replicas' checks read the same branch at once: one closes it.
    const closing = await Promise.all([
      ledger.markClosedOnBranch('req-gone', minutes(5)),
      replica.markClosedOnBranch('req-gone', minutes(5)),
    ]);
    expect(closing.filter(Boolean)).toHaveLength(1);
    expect(await ledger.get('req-gone')).toMatchObject({
      state: 'closed',
      message:
        'Its file was removed from or replaced on main before the platform applied it',
      updatedAt: minutes(5).toISOString(),
    });
    // Closed is settled: the platform applying it later changes nothing.
    expect(await replica.markApplied('req-gone', 'uid-late')).toBe(false);

    // The watches apply it on one replica while the other's check closes it: one of them wins.
    const racing = await Promise.all([
      ledger.markApplied('req-raced', 'uid-raced', minutes(6)),
      replica.markClosedOnBranch('req-raced', minutes(6)),
    ]);
    expect(racing.filter(Boolean)).toHaveLength(1);
    expect((await ledger.get('req-raced'))?.state).toBe(
      racing[0] ? 'applied' : 'closed',
    );

    // Stale is still open; a delete's file put back says so.
    expect(await ledger.markStale(minutes(90), minutes(120))).toBe(2);
    expect(await ledger.markClosedOnBranch('req-delete', minutes(121))).toBe(
      true,
    );
    expect((await ledger.get('req-delete'))?.message).toBe(
      'Its file was put back on main before the platform deleted the Resource',
    );
    // A pull request's request is the forge's to close.
    expect(await ledger.markClosedOnBranch('req-pr', minutes(122))).toBe(false);
    expect((await ledger.get('req-pr'))?.state).toBe('stale');
  });

  it("lists an entity's requests the platform has not applied, newest first", async () => {
    const entityRef = 'component:default/checkout-service';
    await ledger.record(gitops('req-applied', { name: 'a' }), T0);
    await ledger.record(gitops('req-superseded', { name: 'b' }), T0);
    await ledger.record(gitops('req-stale', { name: 'c' }), minutes(1));
    await ledger.record(
      pullRequest('req-closed-long-ago', { name: 'd' }),
      minutes(2),
    );
    await ledger.record(pullRequest('req-closed', { name: 'e' }), minutes(3));
    await ledger.record(gitops('req-pending', { name: 'f' }), minutes(4));
    await ledger.record(
      gitops('req-other-entity', {
        name: 'g',
        entityRef: 'component:default/search-service',
      }),
      minutes(5),
    );
    await ledger.markApplied('req-applied');
    await ledger.record(gitops('req-later', { name: 'b' }), minutes(1));
    await ledger.supersedeOlder({ ...target, name: 'b' }, 'req-later');
    await ledger.markApplied('req-later');
    await ledger.markStale(minutes(1.5), minutes(2));
    await ledger.markClosed('req-closed-long-ago', minutes(10));
    const week = 7 * 24 * 60;
    await ledger.markClosed('req-closed', minutes(week));

    const listed = await ledger.listForEntity(
      // Compared in the catalog's canonical form.
      'Component:default/Checkout-Service',
      { now: minutes(week + 20) },
    );
    expect(listed.map(r => [r.id, r.state])).toEqual([
      ['req-pending', 'pending'],
      ['req-closed', 'closed'],
      ['req-stale', 'stale'],
    ]);
    expect(listed[0].entityUid).toBe('uid-of-checkout-service');
    expect(
      (await ledger.listForEntity(entityRef, { limit: 1 })).map(r => r.id),
    ).toEqual(['req-pending']);
    expect(await ledger.listForEntity('component:default/nobody')).toEqual([]);
  });

  it('lists open requests oldest first, stale ones only when asked', async () => {
    await ledger.record(gitops('req-1', { name: 'a' }), T0);
    await ledger.record(gitops('req-2', { name: 'b' }), minutes(30));
    await ledger.record(gitops('req-3', { name: 'c' }), minutes(40));
    await ledger.markStale(minutes(10), minutes(70));
    await ledger.markApplied('req-3');
    expect((await ledger.listPending()).map(r => r.id)).toEqual(['req-2']);
    expect(
      (await ledger.listPending({ includeStale: true })).map(r => r.id),
    ).toEqual(['req-1', 'req-2']);
  });

  it("finds a Resource's open requests of one operation, oldest first", async () => {
    await ledger.record(gitops('req-del-1', { operation: 'delete' }), T0);
    await ledger.record(
      gitops('req-update', { operation: 'update' }),
      minutes(1),
    );
    await ledger.record(
      gitops('req-del-2', { operation: 'delete' }),
      minutes(2),
    );
    await ledger.record(
      gitops('req-del-other', { operation: 'delete', namespace: 'team-a' }),
      minutes(3),
    );
    expect(
      (await ledger.openRequests(target, 'delete')).map(r => r.id),
    ).toEqual(['req-del-1', 'req-del-2']);
  });

  it('prunes settled requests last changed before the cutoff, never pending ones', async () => {
    await ledger.record(gitops('req-pending', { name: 'a' }), T0);
    await ledger.record(gitops('req-applied', { name: 'b' }), T0);
    await ledger.record(gitops('req-recent', { name: 'c' }), T0);
    await ledger.markApplied('req-applied', undefined, minutes(1));
    await ledger.markApplied('req-recent', undefined, minutes(100));
    expect(await ledger.prune(minutes(50))).toBe(1);
    expect(await ledger.get('req-applied')).toBeUndefined();
    expect(await ledger.get('req-pending')).toBeDefined();
    expect(await ledger.get('req-recent')).toBeDefined();
  });

  it('shares the migrations with the journal, in either order (a restart)', async () => {
    await ledger.record(gitops('req-1'), T0);
    const database = mockServices.database({ knex });
    await ResourceJournal.create(database);
    const restarted = await RequestLedger.create({ database });
    expect((await restarted.get('req-1'))?.state).toBe('pending');
  });
});
