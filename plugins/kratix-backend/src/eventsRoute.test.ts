/*
 * The live stream of an entity's Resources (GET …/events, server-sent events) through the plugin
 * as Backstage starts it: opened for a reader with a first snapshot frame; refused before any
 * streaming (a plain JSON answer) for callers who may not read.
 */
import { openStream } from './__testUtils__/eventStream';
import {
  startPluginBackend,
  type PluginBackend,
} from './__testUtils__/pluginBackend';
import { DENIED, OUTSIDER, READER } from './__testUtils__/seedCatalog';

jest.setTimeout(60_000);

const EVENTS = '/api/kratix/entities/component/default/checkout-service/events';

describe('the events stream', () => {
  let plugin: PluginBackend;
  const open = (user: string) =>
    openStream(plugin.server.port(), EVENTS, plugin.auth(user));

  beforeAll(async () => {
    plugin = await startPluginBackend();
  });

  afterAll(async () => {
    await plugin?.close();
  });

  it("opens for the reader and delivers a snapshot of the entity's Resources first", async () => {
    const stream = await open(READER);
    expect(stream.status).toBe(200);
    expect(stream.contentType).toMatch(/^text\/event-stream/);
    expect(stream.first?.event).toBe('resources');
    const snapshot = JSON.parse(stream.first!.data);
    expect(
      snapshot.items
        .map((r: { promise: string; name: string }) => `${r.promise}/${r.name}`)
        .sort(),
    ).toEqual(['redis/example', 'redis/slow-cache', 'team-database/orders']);
  });

  it('answers a plain 403 before streaming to a user who sees the entity but may read none of its Resources', async () => {
    const stream = await open(OUTSIDER);
    expect(stream.status).toBe(403);
    expect(stream.contentType).toMatch(/^application\/json/);
    expect(stream.first).toBeUndefined();
    expect(JSON.parse(stream.body!).error).toEqual({
      name: 'NotAllowedError',
      message:
        'You may not read the Kratix Resources of component:default/checkout-service',
    });
  });

  it('answers a plain 404 before streaming to the denied user, who cannot see the entity', async () => {
    const stream = await open(DENIED);
    expect(stream.status).toBe(404);
    expect(stream.contentType).toMatch(/^application\/json/);
    expect(stream.first).toBeUndefined();
    expect(stream.body).not.toMatch(/slow-cache|orders|"example"/);
    expect(JSON.parse(stream.body!).error.name).toBe('NotFoundError');
  });
});
