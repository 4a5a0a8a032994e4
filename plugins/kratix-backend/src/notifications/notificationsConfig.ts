/*
 * kratix.notifications: which Resource events are sent, to whom beyond the Resource's own people,
 * and when a Resource counts as stuck. Read once at startup; a bad value fails startup naming the key.
 */
import type { Config } from '@backstage/config';
import { InputError } from '@backstage/errors';
import { normalizeEntityRef } from '@kratix-backstage/plugin-kratix-common';

/** The events a Resource can be notified of. */
export const NOTIFICATION_EVENTS = [
  'completed',
  'failed',
  'works-failing',
  'health',
  'deleted',
  'delete-failed',
  'stuck',
] as const;

export type NotificationEvent = (typeof NOTIFICATION_EVENTS)[number];

/** Sent unless configured otherwise: every event but the stuck reminder, which needs a threshold. */
const DEFAULT_EVENTS: NotificationEvent[] = NOTIFICATION_EVENTS.filter(
  e => e !== 'stuck',
);

/** Default of kratix.notifications.maxTransitionAgeMinutes. */
export const DEFAULT_MAX_TRANSITION_AGE_MINUTES = 60;

export interface NotificationSettings {
  /** `undefined`: on when the notifications backend is installed in this backend. */
  enabled?: boolean;
  events: ReadonlySet<NotificationEvent>;
  /** Per-Promise overrides: `enabled: false` silences a Promise; `events` replaces the list. */
  promises: ReadonlyMap<
    string,
    { enabled: boolean; events?: ReadonlySet<NotificationEvent> }
  >;
  /** Off when undefined. */
  stuckAfterMs?: number;
  /** Lower-cased entity refs told about Resources no entity is confirmed to own. */
  unownedRecipients: string[];
  maxTransitionAgeMs: number;
}

function readEvents(
  config: Config,
  key: string,
  label = `kratix.notifications.${key}`,
): Set<NotificationEvent> | undefined {
  const values = config.getOptionalStringArray(key);
  if (!values) return undefined;
  values.forEach((value, index) => {
    if (!(NOTIFICATION_EVENTS as readonly string[]).includes(value)) {
      throw new InputError(
        `${label}[${index}]: "${value}" is not an event; use one of ${NOTIFICATION_EVENTS.join(
          ', ',
        )}`,
      );
    }
  });
  return new Set(values as NotificationEvent[]);
}

function positiveMinutes(config: Config, key: string): number | undefined {
  const value = config.getOptionalNumber(key);
  if (value === undefined) return undefined;
  if (!(value > 0)) {
    throw new InputError(
      `kratix.notifications.${key}: must be a number of minutes above 0, not ${value}`,
    );
  }
  return value * 60_000;
}

export function readNotificationSettings(root: Config): NotificationSettings {
  const config = root.getOptionalConfig('kratix.notifications');
  if (!config) {
    return {
      events: new Set(DEFAULT_EVENTS),
      promises: new Map(),
      unownedRecipients: [],
      maxTransitionAgeMs: DEFAULT_MAX_TRANSITION_AGE_MINUTES * 60_000,
    };
  }
  const stuckAfterMs = positiveMinutes(config, 'stuckAfterMinutes');
  const events =
    readEvents(config, 'events') ??
    new Set<NotificationEvent>(
      stuckAfterMs ? NOTIFICATION_EVENTS : DEFAULT_EVENTS,
    );
  const promisesConfig = config.getOptionalConfig('promises');
  const promises = new Map(
    (promisesConfig?.keys() ?? []).map(promise => {
      const entry = promisesConfig!.getConfig(promise);
      return [
        promise,
        {
          enabled: entry.getOptionalBoolean('enabled') ?? true,
          events: readEvents(
            entry,
            'events',
            `kratix.notifications.promises.${promise}.events`,
          ),
        },
      ] as const;
    }),
  );
  const unownedRecipients = (
    config.getOptionalStringArray('unownedRecipients') ?? []
  ).map((value, index) => {
    const ref = normalizeEntityRef(value);
    if (!ref) {
      throw new InputError(
        `kratix.notifications.unownedRecipients[${index}]: "${value}" is not an entity reference`,
      );
    }
    return ref;
  });
  return {
    enabled: config.getOptionalBoolean('enabled'),
    events,
    promises,
    stuckAfterMs,
    unownedRecipients,
    maxTransitionAgeMs:
      positiveMinutes(config, 'maxTransitionAgeMinutes') ??
      DEFAULT_MAX_TRANSITION_AGE_MINUTES * 60_000,
  };
}

/** Whether an event of a Resource of `promise` is to be sent. */
export function eventWanted(
  settings: NotificationSettings,
  promise: string,
  event: NotificationEvent,
): boolean {
  const override = settings.promises.get(promise);
  if (override && !override.enabled) return false;
  if (event === 'stuck' && settings.stuckAfterMs === undefined) return false;
  return (override?.events ?? settings.events).has(event);
}
