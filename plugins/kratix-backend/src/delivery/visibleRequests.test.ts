/*
 * The reads of an entity that run at once share one ledger query (issue 28: a change reaches
 * every open stream on the entity together), and each caller still sees only their own requests
 * or, as an owner, all of them. Rows are kept for kratix.cache.requestsSeconds: a write through
 * this replica's ledger shows at once, another replica's within the bound (issue 28: the warm read).
 */
import { mockCredentials, mockServices } from '@backstage/backend-test-utils';
import type { Entity } from '@backstage/catalog-model';
import type { Knex } from 'knex';
import { engines } from '../__testUtils__/databases';
import { newRequest } from '../__testUtils__/requests';
import { RequestLedger, type NewRequest } from '../requests';
import { createVisibleRequests, LedgerReads } from './visibleRequests';

const entity: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name: 'checkout-service', namespace: 'default', uid: 'uid-1' },
  spec: { owner: 'group:default/team-checkout' },
  relations: [{ type: 'ownedBy', targetRef: 'group:default/team-checkout' }],
};

const request = (id: string, requestedBy: string): NewRequest =>
  newRequest(id, `cache-${id}`, {
    entityUid: 'uid-1',
    requestedBy,
    repository: 'https://git.example.com/acme/platform-requests.git',
    commitUrl: 'https://git.example.com/acme/platform-requests/commit/abc1234',
  });

describe.each(engines.slice(0, 1))('visible requests on $name', engine => {
  let knex: Knex;
  let drop: () => Promise<void>;
  let ledger: RequestLedger;

  beforeEach(async () => {
    ({ knex, drop } = await engine.connect());
    ledger = await RequestLedger.create({
      database: mockServices.database({ knex }),
    });
    await ledger.record(request('a', 'user:default/alice'));
    await ledger.record(request('b', 'user:default/bob'));
  });
  afterEach(() => drop());

  it('answers reads that run at once from one query, each with what the caller may see', async () => {
    const queries = jest.spyOn(ledger, 'listForEntity');
    const visible = createVisibleRequests({
      ledger,
      // carol is on team-checkout, the entity's owner; alice and bob are not.
      userInfo: {
        getUserInfo: async credentials => {
          const ref = (credentials.principal as { userEntityRef: string })
            .userEntityRef;
          return {
            userEntityRef: ref,
            ownershipEntityRefs:
              ref === 'user:default/carol'
                ? [ref, 'group:default/team-checkout']
                : [ref],
          };
        },
      },
    });
    const [alice, bob, carol] = await Promise.all([
      visible(entity, mockCredentials.user('user:default/alice')),
      visible(entity, mockCredentials.user('user:default/bob')),
      visible(entity, mockCredentials.user('user:default/carol')),
    ]);
    expect(queries).toHaveBeenCalledTimes(1);
    expect(alice.map(r => r.id)).toEqual(['a']);
    expect(bob.map(r => r.id)).toEqual(['b']);
    // carol owns the entity (through team-checkout): every request.
    expect(carol.map(r => r.id).sort()).toEqual(['a', 'b']);

    // Once the query has answered, a new read asks again: it sees a request recorded since.
    await ledger.record(request('c', 'user:default/alice'));
    const later = await visible(
      entity,
      mockCredentials.user('user:default/alice'),
    );
    expect(queries).toHaveBeenCalledTimes(2);
    expect(later.map(r => r.id).sort()).toEqual(['a', 'c']);
  });

  it("keeps an entity's rows for the bound: this replica's writes show at once, another replica's within the bound", async () => {
    // Two replicas on one database: `ledger` is this one's, `other` the other's.
    const other = await RequestLedger.create({
      database: mockServices.database({ knex }),
    });
    let now = 1_000_000;
    const queries = jest.spyOn(ledger, 'listForEntity');
    const reads = new LedgerReads(ledger, 2_000, 10_000, () => now);
    const ids = async () =>
      (await reads.rowsFor('component:default/checkout-service'))
        .map(r => r.id)
        .sort();

    expect(await ids()).toEqual(['a', 'b']);
    expect(await ids()).toEqual(['a', 'b']);
    expect(queries).toHaveBeenCalledTimes(1);

    // A request made through the other replica: not seen here until the bound has passed.
    await other.record(request('c', 'user:default/alice'));
    now += 1_999;
    expect(await ids()).toEqual(['a', 'b']);
    now += 1;
    expect(await ids()).toEqual(['a', 'b', 'c']);
    expect(queries).toHaveBeenCalledTimes(2);

    // A write through this replica's ledger drops what is kept: the next read asks again.
    expect(await ledger.markApplied('a')).toBe(true);
    expect(await ids()).toEqual(['b', 'c']);
    // So does one that changed nothing (the other replica had already moved the row).
    await other.markApplied('b');
    expect(await ledger.markApplied('b')).toBe(false);
    expect(await ids()).toEqual(['c']);
    expect(queries).toHaveBeenCalledTimes(4);
  });

  it('with a bound of 0, asks on every read once the query has answered', async () => {
    const queries = jest.spyOn(ledger, 'listForEntity');
    const reads = new LedgerReads(ledger, 0);
    await reads.rowsFor('component:default/checkout-service');
    await reads.rowsFor('component:default/checkout-service');
    expect(queries).toHaveBeenCalledTimes(2);
  });
});
