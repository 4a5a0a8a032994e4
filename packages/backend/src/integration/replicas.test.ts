/*
 * Two backend replicas on one PostgreSQL, both watching the same cluster: every condition transition
 * is stored once (the journal's unique key), however many replicas saw it.
 * Needs KRATIX_TEST_POSTGRES_URL (`./run test` and scripts/postgres.sh provide one).
 */
import { startSandbox, type Sandbox } from '@kratix-backstage/sandbox';
import crypto from 'node:crypto';
import request from 'supertest';
import { dropDatabases, testPostgresUrl } from './__testUtils__/postgres';
import {
  eventually,
  startKratixTestBackend,
  type KratixTestBackend,
} from './__testUtils__/testBackend';

jest.setTimeout(180_000);

const postgresUrl = testPostgresUrl('two-replica PostgreSQL integration test');

const REDIS = { group: 'marketplace.kratix.io', plural: 'redis' };
const UNIQUE = [
  'cluster',
  'resource_uid',
  'condition_type',
  'status',
  'reason',
  'transition_time',
];

(postgresUrl ? describe : describe.skip)(
  'two replicas on one PostgreSQL',
  () => {
    const prefix = `kratix_it_${crypto.randomBytes(4).toString('hex')}_`;
    let sandbox: Sandbox;
    let replicas: KratixTestBackend[] = [];

    beforeAll(async () => {
      sandbox = await startSandbox({ stepDelayMs: 100 });
      await sandbox.ready;
      const start = () =>
        startKratixTestBackend({
          cluster: sandbox,
          database: { client: 'pg', connection: postgresUrl!, prefix },
        });
      // One after the other, as a rolling deployment would (the first one creates the databases).
      replicas.push(await start());
      replicas.push(await start());
    });

    afterAll(async () => {
      await Promise.all(replicas.map(r => r.stop()));
      replicas = [];
      await sandbox?.close();
      await dropDatabases(postgresUrl!, prefix);
    });

    it('stores each condition transition exactly once', async () => {
      const [a, b] = replicas;
      const knex = a.kratixDatabase;
      // Both replicas use the same table.
      expect(
        await b
          .kratixDatabase('kratix_condition_transitions')
          .count({ n: '*' }),
      ).toEqual(await knex('kratix_condition_transitions').count({ n: '*' }));

      // A workflow from request to completion while both replicas watch.
      const created = await request(a.server)
        .post('/api/kratix/resources')
        .set('Authorization', await a.auth('guest'))
        .send({
          promise: 'redis',
          namespace: 'default',
          name: 'replicated',
          spec: { size: 'small' },
          entityRef: 'component:default/checkout-service',
        });
      expect(created.status).toBe(201);
      const uid = created.body.object.metadata.uid;
      const finalConditions = await eventually(async () => {
        const conditions: any[] =
          (sandbox.store.get(REDIS, 'default', 'replicated')?.status as any)
            ?.conditions ?? [];
        const reconciled = conditions.find(c => c.type === 'Reconciled');
        return reconciled?.status === 'True' ? conditions : undefined;
      }, 'the workflow to complete');

      // Both replicas have seen the final state: each shows it.
      for (const replica of replicas) {
        await eventually(async () => {
          const res = await request(replica.server)
            .get(
              '/api/kratix/entities/component/default/checkout-service/resources',
            )
            .set('Authorization', await replica.auth('guest'));
          return res.status === 200 ? true : undefined;
        }, 'the replica to answer');
      }

      // Every final condition is recorded, with the transitions that led to it.
      const rows = await eventually(async () => {
        const found = await knex('kratix_condition_transitions').where({
          resource_uid: uid,
        });
        const all = finalConditions.every(c =>
          found.some(
            (r: any) =>
              r.condition_type === c.type &&
              r.status === c.status &&
              r.transition_time === c.lastTransitionTime,
          ),
        );
        return all ? found : undefined;
      }, 'the final conditions to be recorded');
      expect(rows.some((r: any) => r.status !== 'True')).toBe(true);
      // Each replica has written (or had ignored as already written) every final transition.
      for (const replica of replicas) {
        await eventually(async () => {
          const written = new Set(
            replica.logs
              .filter(
                e =>
                  e.message.endsWith('Kratix condition transitions') &&
                  e.meta.resourceUid === uid,
              )
              .flatMap(e => e.meta.transitions as string[]),
          );
          return finalConditions.every(c =>
            written.has(`${c.type}=${c.status}@${c.lastTransitionTime}`),
          )
            ? true
            : undefined;
        }, 'the replica to record the final conditions');
      }

      const duplicates = await knex('kratix_condition_transitions')
        .select(UNIQUE)
        .count({ n: '*' })
        .groupBy(UNIQUE)
        .havingRaw('count(*) > 1');
      expect(duplicates).toEqual([]);
      // Neither replica failed a write (a conflict it did not expect would be logged, not thrown).
      for (const replica of replicas) {
        expect(
          replica.logs.filter(e => /Could not record/.test(e.message)),
        ).toEqual([]);
      }
      const total = await knex('kratix_condition_transitions').count({
        n: '*',
      });
      expect(Number(total[0].n)).toBeGreaterThan(finalConditions.length);
    });
  },
);
