/*
 * kratix.delivery's tracker keys: defaults, and bad values failing startup as InputErrors naming the key.
 */
import { ConfigReader, type JsonObject } from '@backstage/config';
import { readRequestSettings } from './requestsConfig';

const read = (delivery: JsonObject) =>
  readRequestSettings(new ConfigReader({ kratix: { delivery } }));

describe('kratix.delivery (request tracking)', () => {
  it('marks requests stale after an hour and checks every minute by default', () => {
    expect(readRequestSettings(new ConfigReader({}))).toEqual({
      staleAfterMs: 60 * 60_000,
      checkIntervalMs: 60_000,
    });
  });

  it('reads the configured bound and interval', () => {
    expect(read({ staleAfterMinutes: 15, checkIntervalSeconds: 5 })).toEqual({
      staleAfterMs: 15 * 60_000,
      checkIntervalMs: 5000,
    });
  });

  it.each([
    [
      { staleAfterMinutes: 0 },
      'kratix.delivery.staleAfterMinutes must be a number of minutes above 0, got 0',
    ],
    [
      { staleAfterMinutes: -5 },
      'kratix.delivery.staleAfterMinutes must be a number of minutes above 0, got -5',
    ],
    [
      { staleAfterMinutes: 'soon' },
      'kratix.delivery.staleAfterMinutes must be a number of minutes, got "soon"',
    ],
    [
      { checkIntervalSeconds: 0.5 },
      'kratix.delivery.checkIntervalSeconds must be a number of seconds of at least 1, got 0.5',
    ],
    [
      { checkIntervalSeconds: true },
      'kratix.delivery.checkIntervalSeconds must be a number of seconds, got true',
    ],
  ])('refuses %j naming the key', (delivery, message) => {
    let caught: unknown;
    try {
      read(delivery as JsonObject);
    } catch (error) {
      caught = error;
    }
    expect(caught).toMatchObject({ name: 'InputError', message });
  });
});
