/*
 * The journal against real databases: SQLite always, PostgreSQL when KRATIX_TEST_POSTGRES_URL
 * names a server (`./run test` starts one).
 */
import { mockServices } from '@backstage/backend-test-utils';
import knexFactory, { type Knex } from 'knex';
import crypto from 'node:crypto';
import { ResourceJournal, type ConditionTransition } from './ResourceJournal';

const postgresUrl = process.env.KRATIX_TEST_POSTGRES_URL;
// Under CI a missing prerequisite fails the run (./run test starts a server and sets the URL).
if (!postgresUrl && process.env.CI === 'true') {
  throw new Error(
    'KRATIX_TEST_POSTGRES_URL is not set under CI: run the tests with ./run test, which starts PostgreSQL (scripts/postgres.sh)',
  );
}
if (!postgresUrl) {
  // eslint-disable-next-line no-console
  console.warn(
    '\n*** KRATIX_TEST_POSTGRES_URL is not set: the PostgreSQL journal tests are SKIPPED ***\n',
  );
}

type Engine = {
  name: string;
  connect: () => Promise<{ knex: Knex; drop: () => Promise<void> }>;
};

const engines: Engine[] = [
  {
    name: 'SQLite',
    connect: async () => {
      const knex = knexFactory({
        client: 'better-sqlite3',
        connection: ':memory:',
        useNullAsDefault: true,
      });
      return { knex, drop: () => knex.destroy() };
    },
  },
  ...(postgresUrl
    ? [
        {
          name: 'PostgreSQL',
          connect: async () => {
            const admin = knexFactory({
              client: 'pg',
              connection: postgresUrl,
            });
            const database = `kratix_history_${crypto
              .randomBytes(4)
              .toString('hex')}`;
            await admin.raw(`CREATE DATABASE ${database}`);
            const knex = knexFactory({
              client: 'pg',
              connection: `${postgresUrl}/${database}`,
            });
            return {
              knex,
              drop: async () => {
                await knex.destroy();
                await admin.raw(`DROP DATABASE ${database}`);
                await admin.destroy();
              },
            };
          },
        },
      ]
    : []),
];

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
