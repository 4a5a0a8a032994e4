/*
 * Per-user rate limits on what a user can repeat cheaply and the platform pays for: manage actions
 * (each one writes to the cluster, the audit log and the Resource's journal) and dry-run creates
 * (each one asks the cluster whether a name is taken). A sliding window per user, per backend
 * instance, in memory: at most `max` attempts in any `windowSeconds`; the next one is a 429 with
 * Retry-After, and nothing else is done for it.
 */
import type { Config } from '@backstage/config';
import { InputError } from '@backstage/errors';

/** A limit of `max` attempts in any `windowSeconds`. */
export interface RateLimit {
  max: number;
  windowSeconds: number;
}

/** The defaults of `kratix.rateLimits` (see config.d.ts). */
export const RATE_LIMIT_DEFAULTS = {
  manageActions: { max: 150, windowSeconds: 3600 },
  dryRuns: { max: 60, windowSeconds: 60 },
} satisfies Record<string, RateLimit>;

/** A 429: the router's error handler answers with this status and a Retry-After header. */
export class TooManyRequestsError extends Error {
  readonly statusCode = 429;
  constructor(message: string, readonly retryAfterSeconds: number) {
    super(message);
    this.name = 'TooManyRequestsError';
  }
}

export class UserRateLimiter {
  /** Per user, the times of their attempts in the current window, oldest first. */
  private readonly attempts = new Map<string, number[]>();
  private calls = 0;

  constructor(
    readonly limit: RateLimit,
    private readonly what: string,
    private readonly now: () => number = Date.now,
  ) {}

  /** Counts one attempt by `user`; throws TooManyRequestsError when it is one too many. */
  take(user: string): void {
    const now = this.now();
    const windowMs = this.limit.windowSeconds * 1000;
    // Now and then, forget users whose window has passed, so the map stays as small as the users
    // who acted within one window.
    if (++this.calls % 1000 === 0) this.sweep(now - windowMs);
    const times = (this.attempts.get(user) ?? []).filter(
      t => t > now - windowMs,
    );
    if (times.length >= this.limit.max) {
      this.attempts.set(user, times);
      const retryAfterSeconds = Math.max(
        1,
        Math.ceil((times[0] + windowMs - now) / 1000),
      );
      throw new TooManyRequestsError(
        `Too many ${this.what}: at most ${this.limit.max} in ${this.limit.windowSeconds} seconds per user; try again in ${retryAfterSeconds} seconds`,
        retryAfterSeconds,
      );
    }
    times.push(now);
    this.attempts.set(user, times);
  }

  private sweep(cutoff: number) {
    for (const [user, times] of this.attempts) {
      if (times[times.length - 1] <= cutoff) this.attempts.delete(user);
    }
  }
}

/** Reads `kratix.rateLimits.<name>`: positive whole numbers, or the default. */
export function readRateLimit(
  config: Config,
  name: keyof typeof RATE_LIMIT_DEFAULTS,
): RateLimit {
  const key = `kratix.rateLimits.${name}`;
  const section = config.getOptionalConfig(key);
  const value = (field: keyof RateLimit) => {
    const n = section?.getOptionalNumber(field);
    if (n === undefined) return RATE_LIMIT_DEFAULTS[name][field];
    if (!Number.isInteger(n) || n < 1) {
      throw new InputError(
        `${key}.${field} must be a positive whole number, got ${n}`,
      );
    }
    return n;
  };
  return { max: value('max'), windowSeconds: value('windowSeconds') };
}
