/*
 * The reads of an entity that run at once share one ledger query (issue 28: a change reaches
 * every open stream on the entity together), and each caller still sees only their own requests
 * or, as an owner, all of them; a read after a query finished asks again.
 */
import { mockCredentials, mockServices } from '@backstage/backend-test-utils';
import type { Entity } from '@backstage/catalog-model';
import type { Knex } from 'knex';
import { engines } from '../__testUtils__/databases';
import { RequestLedger, type NewRequest } from '../requests';
import { createVisibleRequests } from './visibleRequests';

const entity: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name: 'checkout-service', namespace: 'default', uid: 'uid-1' },
  spec: { owner: 'group:default/team-checkout' },
  relations: [{ type: 'ownedBy', targetRef: 'group:default/team-checkout' }],
};

const request = (id: string, requestedBy: string): NewRequest => ({
  id,
  operation: 'create',
  mode: 'gitops',
  cluster: 'sandbox',
  namespace: 'default',
  promise: 'redis',
  name: `cache-${id}`,
  entityRef: 'component:default/checkout-service',
  entityUid: 'uid-1',
  requestedBy,
  repository: 'https://git.example.com/acme/platform-requests.git',
  branch: 'main',
  path: `kratix-requests/sandbox/default/redis/cache-${id}.yaml`,
  commitSha: 'abc1234def5678abc1234def5678abc1234def56',
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
});
