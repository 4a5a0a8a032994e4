/*
 * The journal against real databases: SQLite always, PostgreSQL when KRATIX_TEST_POSTGRES_URL
 * names a server (`./run test` starts one).
 */
import { mockServices } from '@backstage/backend-test-utils';
import type { Knex } from 'knex';
import { engines } from '../__testUtils__/databases';
import { ResourceJournal, type ConditionTransition } from './ResourceJournal';

const resource = {
  cluster: 'sandbox',
  promise: 'redis',
  namespace: 'default',
  name: 'example',
};

const transition = (
  over: Partial<ConditionTransition>,
): ConditionTransition => ({
  ...resource,
  resourceUid: 'uid-1',
  conditionType: 'ConfigureWorkflowCompleted',
  status: 'False',
  reason: 'PipelinesInProgress',
  message: 'Pipelines are still in progress',
  transitionTime: '2026-11-25T10:00:00Z',
  generation: 1,
  ...over,
});

describe.each(engines)('ResourceJournal on $name', engine => {
  let knex: Knex;
  let drop: () => Promise<void>;
  let store: ResourceJournal;

  beforeEach(async () => {
    ({ knex, drop } = await engine.connect());
    store = await ResourceJournal.create(mockServices.database({ knex }));
  });
  afterEach(() => drop());

  it('keeps every transition in order, each once however often it is recorded', async () => {
    const running = transition({});
    const done = transition({
      status: 'True',
      reason: 'PipelinesExecutedSuccessfully',
      message: 'Pipelines completed',
      transitionTime: '2026-11-25T10:00:05Z',
    });
    const rerun = transition({
      transitionTime: '2026-11-25T11:00:00Z',
      generation: 2,
    });
    await store.record([running, done]);
    // Another replica (or a restart) records the same transitions again.
    await store.record([done, running]);
    await store.record([rerun]);
    const all = await store.transitions(resource);
    expect(
      all.map(
        t => `${t.status}/${t.reason}@${t.transitionTime}#${t.generation}`,
      ),
    ).toEqual([
      'False/PipelinesInProgress@2026-11-25T10:00:00Z#1',
      'True/PipelinesExecutedSuccessfully@2026-11-25T10:00:05Z#1',
      'False/PipelinesInProgress@2026-11-25T11:00:00Z#2',
    ]);
    expect(await store.transitions(resource, 'another-uid')).toEqual([]);
  });

  it('survives a new store on the same database (a backend restart)', async () => {
    await store.record([transition({})]);
    const restarted = await ResourceJournal.create(
      mockServices.database({ knex }),
    );
    expect(await restarted.transitions(resource)).toHaveLength(1);
  });

  it('prunes what is older than the retention period', async () => {
    await store.record([transition({})], new Date('2026-01-01T00:00:00Z'));
    await store.record(
      [transition({ transitionTime: '2026-11-25T12:00:00Z' })],
      new Date('2026-11-25T12:00:00Z'),
    );
    expect(await store.prune(new Date('2026-06-01T00:00:00Z'))).toBe(1);
    expect(
      (await store.transitions(resource)).map(t => t.transitionTime),
    ).toEqual(['2026-11-25T12:00:00Z']);
  });
});
