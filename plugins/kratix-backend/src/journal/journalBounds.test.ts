/*
 * The journal's bound per Resource (issue 20, Low 9): 150 manage actions on one Resource leave at
 * most maxEntriesPerResource rows, the newest; reads return at most that many transitions; the
 * prune trims each Resource's oldest transitions beyond it and leaves other Resources alone.
 */
import { mockServices } from '@backstage/backend-test-utils';
import knexFactory, { type Knex } from 'knex';
import { ResourceJournal, type ConditionTransition } from './ResourceJournal';

const resource = {
  cluster: 'sandbox',
  promise: 'redis',
  namespace: 'default',
  name: 'example',
};

const transition = (i: number, uid = 'uid-1'): ConditionTransition => ({
  ...resource,
  resourceUid: uid,
  conditionType: 'ConfigureWorkflowCompleted',
  status: i % 2 ? 'True' : 'False',
  reason: `Reason${i}`,
  transitionTime: new Date(Date.UTC(2026, 10, 25, 10, 0, i)).toISOString(),
});

describe('ResourceJournal bounds', () => {
  let knex: Knex;
  let store: ResourceJournal;

  beforeEach(async () => {
    knex = knexFactory({
      client: 'better-sqlite3',
      connection: ':memory:',
      useNullAsDefault: true,
    });
    store = await ResourceJournal.create(mockServices.database({ knex }), {
      maxEntriesPerResource: 20,
    });
  });
  afterEach(() => knex.destroy());

  it('keeps only the newest manage actions of a Resource, however many are taken', async () => {
    for (let i = 0; i < 150; i++) {
      await store.recordAction({
        ...resource,
        resourceUid: 'uid-1',
        action: 'pause',
        actor: 'user:default/guest',
        message: `#${i}`,
        actedAt: new Date(Date.UTC(2026, 10, 25, 10, 0, 0, i)).toISOString(),
      });
    }
    expect(await knex('kratix_resource_actions').count({ n: '*' })).toEqual([
      { n: 20 },
    ]);
    const actions = await store.actions(resource, 'uid-1');
    expect(actions.map(a => a.message)).toEqual(
      Array.from({ length: 20 }, (_, i) => `#${130 + i}`),
    );
  });

  it('reads the newest transitions, and the prune trims each Resource to the bound', async () => {
    await store.record(Array.from({ length: 50 }, (_, i) => transition(i)));
    await store.record([transition(0, 'uid-2'), transition(1, 'uid-2')]);
    const read = await store.transitions(resource, 'uid-1');
    expect(read).toHaveLength(20);
    expect(read[0].reason).toBe('Reason30');
    expect(read[19].reason).toBe('Reason49');

    expect(await store.prune(new Date('2000-01-01T00:00:00Z'))).toBe(30);
    const rows = await knex('kratix_condition_transitions')
      .select('resource_uid')
      .count({ n: '*' })
      .groupBy('resource_uid')
      .orderBy('resource_uid');
    expect(rows).toEqual([
      { resource_uid: 'uid-1', n: 20 },
      { resource_uid: 'uid-2', n: 2 },
    ]);
  });
});
