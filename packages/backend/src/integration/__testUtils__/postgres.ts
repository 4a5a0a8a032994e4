/*
 * The PostgreSQL server of the multi-replica tests: KRATIX_TEST_POSTGRES_URL (`./run test` and
 * scripts/postgres.sh provide one). Without it the suites are skipped with a warning, except under
 * CI, where a missing prerequisite fails the run.
 */

/** The server's URL, or undefined (after a warning) when the suite is to be skipped. */
export function testPostgresUrl(suite: string): string | undefined {
  const url = process.env.KRATIX_TEST_POSTGRES_URL;
  if (!url && process.env.CI === 'true') {
    throw new Error(
      'KRATIX_TEST_POSTGRES_URL is not set under CI: run the tests with ./run test, which starts PostgreSQL (scripts/postgres.sh)',
    );
  }
  if (!url) {
    // eslint-disable-next-line no-console
    console.warn(
      `\n*** KRATIX_TEST_POSTGRES_URL is not set: the ${suite} is SKIPPED ***\n`,
    );
  }
  return url;
}

interface PgClient {
  connect(): Promise<void>;
  query(sql: string, values?: unknown[]): Promise<{ rows: any[] }>;
  end(): Promise<void>;
}

/** Drops the databases the replicas created (one per plugin, all starting with the prefix). */
export async function dropDatabases(url: string, prefix: string) {
  // pg is a dependency of the backend; it ships no types of its own.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { Client } = require('pg') as {
    Client: new (options: { connectionString: string }) => PgClient;
  };
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query(
      'SELECT datname FROM pg_database WHERE starts_with(datname, $1)',
      [prefix],
    );
    for (const { datname } of rows) {
      await client.query(`DROP DATABASE "${datname}" WITH (FORCE)`);
    }
  } finally {
    await client.end();
  }
}
