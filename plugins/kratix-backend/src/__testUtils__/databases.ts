/*
 * The databases the plugin's stores are tested on: SQLite always, PostgreSQL when
 * KRATIX_TEST_POSTGRES_URL names a server (`./run test` starts one); each test gets a fresh one.
 */
import knexFactory, { type Knex } from 'knex';
import crypto from 'node:crypto';

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
    '\n*** KRATIX_TEST_POSTGRES_URL is not set: the PostgreSQL database tests are SKIPPED ***\n',
  );
}

export type Engine = {
  name: string;
  connect: () => Promise<{ knex: Knex; drop: () => Promise<void> }>;
};

export const engines: Engine[] = [
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

