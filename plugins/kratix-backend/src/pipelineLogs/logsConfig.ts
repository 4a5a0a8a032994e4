/*
 * kratix.logs.* (config.d.ts, docs/http-api.md, docs/security.md): the bounds on pipeline log reads,
 * read once and checked, so a bad value stops the backend with the key's name.
 */
import type { Config } from '@backstage/config';
import { InputError } from '@backstage/errors';

export const LOGS_DEFAULTS = {
  /** Log bytes in one answer (route or MCP); a longer log is cut there. */
  maxBytesPerResponse: 1024 * 1024,
  /** How long one follow may stay open. */
  maxFollowSeconds: 600,
  /** Follows one user (or service) may hold open per backend instance; more get 429. */
  maxFollowsPerUser: 5,
} as const;

export interface LogSettings {
  maxBytesPerResponse: number;
  maxFollowMs: number;
  maxFollowsPerUser: number;
}

export function readLogSettings(config: Config): LogSettings {
  const positive = (key: keyof typeof LOGS_DEFAULTS, integer: boolean) => {
    const value =
      config.getOptionalNumber(`kratix.logs.${key}`) ?? LOGS_DEFAULTS[key];
    if (!(value > 0) || (integer && !Number.isInteger(value))) {
      throw new InputError(
        `kratix.logs.${key}: must be a positive ${
          integer ? 'integer' : 'number'
        }, not ${value}`,
      );
    }
    return value;
  };
  return {
    maxBytesPerResponse: positive('maxBytesPerResponse', true),
    maxFollowMs: positive('maxFollowSeconds', false) * 1000,
    maxFollowsPerUser: positive('maxFollowsPerUser', true),
  };
}
