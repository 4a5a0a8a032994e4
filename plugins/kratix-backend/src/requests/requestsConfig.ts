/*
 * kratix.delivery (see config.d.ts): when a request delivered through Git that the platform has not
 * applied counts as stale, and how often the tracker checks. Read once at startup; a bad value
 * fails startup naming the key.
 */
import type { Config } from '@backstage/config';
import { InputError } from '@backstage/errors';

/** Default of kratix.delivery.staleAfterMinutes. */
export const DEFAULT_STALE_AFTER_MINUTES = 60;
/** Default of kratix.delivery.checkIntervalSeconds. */
export const DEFAULT_CHECK_INTERVAL_SECONDS = 60;

export interface RequestSettings {
  staleAfterMs: number;
  checkIntervalMs: number;
}

function readNumber(
  config: Config,
  key: string,
  fallback: number,
  min: number,
  unit: string,
): number {
  const path = `kratix.delivery.${key}`;
  let value: number | undefined;
  try {
    value = config.getOptionalNumber(path);
  } catch {
    throw new InputError(
      `${path} must be a number of ${unit}, got ${JSON.stringify(
        config.getOptional(path),
      )}`,
    );
  }
  if (value === undefined) return fallback;
  if (!Number.isFinite(value) || value < min || (min === 0 && value === 0)) {
    throw new InputError(
      `${path} must be a number of ${unit} ${
        min === 0 ? 'above 0' : `of at least ${min}`
      }, got ${value}`,
    );
  }
  return value;
}

export function readRequestSettings(config: Config): RequestSettings {
  return {
    staleAfterMs:
      readNumber(
        config,
        'staleAfterMinutes',
        DEFAULT_STALE_AFTER_MINUTES,
        0,
        'minutes',
      ) * 60_000,
    // At least a second: each check reads the ledger and may ask the forge about pull requests.
    checkIntervalMs:
      readNumber(
        config,
        'checkIntervalSeconds',
        DEFAULT_CHECK_INTERVAL_SECONDS,
        1,
        'seconds',
      ) * 1000,
  };
}
