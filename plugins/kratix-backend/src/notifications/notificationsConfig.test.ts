/*
 * kratix.notifications: defaults, per-Promise overrides, and bad values failing startup by key.
 */
import { ConfigReader } from '@backstage/config';
import type { JsonObject } from '@backstage/config';
import { eventWanted, readNotificationSettings } from './notificationsConfig';

const read = (notifications: JsonObject) =>
  readNotificationSettings(new ConfigReader({ kratix: { notifications } }));

describe('kratix.notifications', () => {
  it('sends every event but the stuck reminder by default, to no extra recipient', () => {
    const settings = readNotificationSettings(new ConfigReader({}));
    expect(settings.enabled).toBe(undefined);
    expect(eventWanted(settings, 'redis', 'completed')).toBe(true);
    expect(eventWanted(settings, 'redis', 'failed')).toBe(true);
    expect(eventWanted(settings, 'redis', 'stuck')).toBe(false);
    expect(settings.unownedRecipients).toEqual([]);
    expect(settings.maxTransitionAgeMs).toBe(60 * 60_000);
  });

  it('turns the stuck reminder on with its threshold, and applies per-Promise overrides', () => {
    const settings = read({
      stuckAfterMinutes: 30,
      unownedRecipients: ['group:default/Platform-Team'],
      promises: {
        jenkins: { enabled: false },
        redis: { events: ['failed'] },
      },
    });
    expect(settings.stuckAfterMs).toBe(30 * 60_000);
    expect(eventWanted(settings, 'postgres', 'stuck')).toBe(true);
    expect(eventWanted(settings, 'jenkins', 'failed')).toBe(false);
    expect(eventWanted(settings, 'redis', 'failed')).toBe(true);
    expect(eventWanted(settings, 'redis', 'completed')).toBe(false);
    expect(settings.unownedRecipients).toEqual(['group:default/platform-team']);
  });

  it('fails naming the key on an unknown event, a bad threshold or a bad recipient', () => {
    expect(() => read({ events: ['completed', 'finished'] })).toThrow(
      'kratix.notifications.events[1]: "finished" is not an event',
    );
    expect(() => read({ promises: { redis: { events: ['nope'] } } })).toThrow(
      'kratix.notifications.promises.redis.events[0]',
    );
    expect(() => read({ stuckAfterMinutes: 0 })).toThrow(
      'kratix.notifications.stuckAfterMinutes: must be a number of minutes above 0',
    );
    expect(() => read({ unownedRecipients: ['user:'] })).toThrow(
      'kratix.notifications.unownedRecipients[0]',
    );
  });
});
