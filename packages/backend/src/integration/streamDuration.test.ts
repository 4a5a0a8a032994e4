/*
 * kratix.streams.maxDurationSeconds on the real backend: the server ends a live stream once it has
 * been open that long (the client reconnects and is authorized afresh), cleanly and without a
 * final error event, and gives the user's stream slot back, so with kratix.streams.maxPerUser 1
 * the next stream opens at once. The test waits on the stream's end, not on time.
 */
import { startSandbox, type Sandbox } from '@kratix-backstage/sandbox';
import request from 'supertest';
import { openEventStream } from './__testUtils__/eventStream';
import {
  startKratixTestBackend,
  type KratixTestBackend,
} from './__testUtils__/testBackend';

jest.setTimeout(120_000);

const MAX_DURATION_SECONDS = 2;
const EVENTS = '/api/kratix/entities/component/default/checkout-service/events';

describe('the maximum duration of a live stream', () => {
  let sandbox: Sandbox;
  let backend: KratixTestBackend;

  beforeAll(async () => {
    sandbox = await startSandbox({ stepDelayMs: 20 });
    await sandbox.ready;
    backend = await startKratixTestBackend({
      cluster: sandbox,
      extraConfig: {
        kratix: {
          streams: {
            maxPerUser: 1,
            maxDurationSeconds: MAX_DURATION_SECONDS,
          },
        },
      },
    });
  });

  afterAll(async () => {
    await backend?.stop();
    await sandbox?.close();
  });

  it('ends the stream cleanly after kratix.streams.maxDurationSeconds, and frees its slot for the next one', async () => {
    const guest = await backend.auth('guest');
    const first = await openEventStream(backend.server, EVENTS, guest);
    let next: Awaited<ReturnType<typeof openEventStream>> | undefined;
    try {
      expect(first.status).toBe(200);
      const snapshot = await first.nextEvent('resources');
      expect(snapshot.items.map((i: { name: string }) => i.name)).toContain(
        'example',
      );

      // The one slot is taken while the stream is open.
      const refused = await request(backend.server)
        .get(EVENTS)
        .set('Authorization', guest);
      expect(refused.status).toBe(429);

      // The server ends it: the client does nothing but wait.
      await first.ended;
      expect(first.complete).toBe(true);
      // Only snapshots were sent: no forbidden, limit or failure event ends a stream that timed out.
      expect(new Set(first.events.map(e => e.event))).toEqual(
        new Set(['resources']),
      );
      const closed = backend.logs.filter(
        entry => entry.message === 'Kratix event stream closed: max-duration',
      );
      expect(closed).toHaveLength(1);
      expect(closed[0].meta).toMatchObject({
        entity: 'component:default/checkout-service',
        reason: 'max-duration',
        caller: expect.stringContaining('user:default/guest'),
      });

      // The slot was released with the stream: the client's reconnect opens at once.
      next = await openEventStream(backend.server, EVENTS, guest);
      expect(next.status).toBe(200);
      const again = await next.nextEvent('resources');
      const names = (frame: { items: Array<{ name: string }> }) =>
        frame.items.map(i => i.name).sort();
      expect(names(again)).toEqual(names(snapshot));
    } finally {
      first.close();
      next?.close();
    }
  });
});
