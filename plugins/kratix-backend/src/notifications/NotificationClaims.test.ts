/*
 * Claims against real databases: of many claims of one event, racing as replicas do, exactly one
 * wins, and a new store on the same database (a restart) finds it taken.
 */
import { mockServices } from '@backstage/backend-test-utils';
import type { Knex } from 'knex';
import { engines } from '../__testUtils__/databases';
import { ResourceJournal } from '../journal/ResourceJournal';
import { NotificationClaims } from './NotificationClaims';

const event = {
  cluster: 'sandbox',
  resourceUid: 'uid-1',
  eventKey: 'completed|2026-12-07T10:00:00Z',
};

describe.each(engines)('NotificationClaims on $name', engine => {
  let knex: Knex;
  let drop: () => Promise<void>;
  let claims: NotificationClaims;

  beforeEach(async () => {
    ({ knex, drop } = await engine.connect());
    const database = mockServices.database({ knex });
    // The journal runs the plugin's migrations, the claims table among them.
    await ResourceJournal.create(database);
    claims = await NotificationClaims.create(database);
  });
  afterEach(() => drop());

  it('lets exactly one of many racing claims win, and a restart finds it taken', async () => {
    const results = await Promise.all(
      Array.from({ length: 8 }, () => claims.claim(event, { sent: true })),
    );
    expect(results.filter(Boolean)).toHaveLength(1);
    const restarted = await NotificationClaims.create(
      mockServices.database({ knex }),
    );
    expect(await restarted.claim(event, { sent: true })).toBe(false);
    // Another transition of the same Resource, and the same event of another Resource, are free.
    expect(
      await restarted.claim(
        { ...event, eventKey: 'completed|2026-12-07T11:00:00Z' },
        { sent: true },
      ),
    ).toBe(true);
    expect(
      await restarted.claim({ ...event, resourceUid: 'uid-2' }, { sent: true }),
    ).toBe(true);
  });

  it('gives a claim back when sending failed, so it can be claimed again', async () => {
    expect(await claims.claim(event, { sent: true })).toBe(true);
    await claims.release(event);
    expect(await claims.claim(event, { sent: true })).toBe(true);
  });

  it('knows whether an earlier event of a kind was claimed for the Resource', async () => {
    const first = event.eventKey;
    const second = 'completed|2026-12-07T11:00:00Z';
    expect(await claims.claimedBefore(event, 'completed|', first)).toBe(false);
    await claims.claim(event, { sent: false });
    expect(await claims.claimedBefore(event, 'completed|', first)).toBe(false);
    expect(await claims.claimedBefore(event, 'completed|', second)).toBe(true);
    expect(await claims.claimedBefore(event, 'failed|', second)).toBe(false);
  });

  it('prunes claims older than the retention period', async () => {
    await claims.claim(event, { sent: true }, new Date('2026-01-01T00:00:00Z'));
    await claims.claim(
      { ...event, eventKey: 'deleted' },
      { sent: true },
      new Date('2026-12-07T00:00:00Z'),
    );
    expect(await claims.prune(new Date('2026-06-01T00:00:00Z'))).toBe(1);
    expect(await claims.claim(event, { sent: true })).toBe(true);
    expect(
      await claims.claim({ ...event, eventKey: 'deleted' }, { sent: true }),
    ).toBe(false);
  });
});
