/*
 * kratix.streams.* (documented in config.d.ts and the README's security model), read once and
 * checked, so a bad value stops the backend with the key's name instead of weakening a limit.
 */
import type { Config } from '@backstage/config';
import { InputError } from '@backstage/errors';
import type { EntityStreamOptions } from './entityStream';

export const STREAM_DEFAULTS = {
  maxPerUser: 20,
  reauthorizeSeconds: 60,
  refreshSeconds: 10,
  maxDurationSeconds: 600,
  /** About 2,000 linked Resources (1,000 make a frame of about 0.5 MB). */
  maxFrameBytes: 1024 * 1024,
  maxBufferedBytesPerUser: 4 * 1024 * 1024,
  drainTimeoutSeconds: 30,
} as const;

export type StreamSettings = EntityStreamOptions & {
  maxPerUser: number;
  maxBufferedBytesPerUser: number;
};

export function readStreamSettings(config: Config): StreamSettings {
  const positive = (key: keyof typeof STREAM_DEFAULTS, integer = false) => {
    const value =
      config.getOptionalNumber(`kratix.streams.${key}`) ?? STREAM_DEFAULTS[key];
    if (!(value > 0) || (integer && !Number.isInteger(value))) {
      throw new InputError(
        `kratix.streams.${key}: must be a positive ${
          integer ? 'integer' : 'number'
        }, not ${value}`,
      );
    }
    return value;
  };
  const settings: StreamSettings = {
    maxPerUser: positive('maxPerUser', true),
    reauthorizeMs: positive('reauthorizeSeconds') * 1000,
    refreshMs: positive('refreshSeconds') * 1000,
    maxDurationMs: positive('maxDurationSeconds') * 1000,
    maxFrameBytes: positive('maxFrameBytes', true),
    maxBufferedBytesPerUser: positive('maxBufferedBytesPerUser', true),
    drainTimeoutMs: positive('drainTimeoutSeconds') * 1000,
  };
  // Otherwise a snapshot that fits a frame could never be sent, and the stream would only time out.
  if (settings.maxBufferedBytesPerUser < settings.maxFrameBytes!) {
    throw new InputError(
      `kratix.streams.maxBufferedBytesPerUser (${settings.maxBufferedBytesPerUser}) must be at least kratix.streams.maxFrameBytes (${settings.maxFrameBytes})`,
    );
  }
  return settings;
}
