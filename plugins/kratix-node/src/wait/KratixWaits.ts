/*
 * Waits as a shared, bounded resource. A wait holds a scaffolder worker (or an MCP request) for as
 * long as it runs, so one user could hold them all: every wait, from templates and AI assistants
 * alike, goes through this one root-scoped service, which refuses a timeout above
 * kratix.waits.maxSeconds, a wait beyond kratix.waits.maxPerUser running for the same user, and a
 * wait on a Promise that is not Available (nothing would happen however long it ran). Each is
 * refused before anything waits.
 */
import type {
  BackstageCredentials,
  RootConfigService,
} from '@backstage/backend-plugin-api';
import { InputError } from '@backstage/errors';
import type { KratixPromiseView } from '@kratix-backstage/plugin-kratix-common';
import type {
  KratixClusterService,
  ResolvedResource,
} from '../KratixClusterService';
import { describeCondition } from './progress';
import {
  KratixWaitError,
  waitForResource,
  type KratixWaitFor,
  type WaitForResourceResult,
} from './waitForResource';

/**
 * The bounds on waiting, from `kratix.waits`.
 *
 * @public
 */
export interface KratixWaitLimits {
  /** The longest wait accepted, in seconds (`kratix.waits.maxSeconds`, default 900). */
  maxSeconds: number;
  /**
   * Waits one user (or service) may have running at once on this backend instance, templates and
   * AI assistants together (`kratix.waits.maxPerUser`, default 3).
   */
  maxPerUser: number;
}

/**
 * The limits when `kratix.waits` sets none: 15 minutes, 3 waits per user.
 *
 * @public
 */
export const DEFAULT_KRATIX_WAIT_LIMITS: KratixWaitLimits = {
  maxSeconds: 900,
  maxPerUser: 3,
};

/**
 * Reads `kratix.waits`; throws naming the key when a value is not a positive number (a whole one
 * for `maxPerUser`).
 *
 * @public
 */
export function readWaitLimits(config: RootConfigService): KratixWaitLimits {
  const maxSeconds =
    config.getOptionalNumber('kratix.waits.maxSeconds') ??
    DEFAULT_KRATIX_WAIT_LIMITS.maxSeconds;
  const maxPerUser =
    config.getOptionalNumber('kratix.waits.maxPerUser') ??
    DEFAULT_KRATIX_WAIT_LIMITS.maxPerUser;
  if (!Number.isFinite(maxSeconds) || maxSeconds <= 0) {
    throw new Error(
      `kratix.waits.maxSeconds must be a positive number of seconds, got ${maxSeconds}`,
    );
  }
  if (!Number.isInteger(maxPerUser) || maxPerUser < 1) {
    throw new Error(
      `kratix.waits.maxPerUser must be a whole number of at least 1, got ${maxPerUser}`,
    );
  }
  return { maxSeconds, maxPerUser };
}

/**
 * One admitted wait: it holds one of the user's slots until it ends or is released.
 *
 * @public
 */
export interface KratixWaitTicket {
  /** The timeout this wait runs with, in seconds (within the maximum). */
  readonly timeoutSeconds: number;
  /** Waits on the watch (see `waitForResource`); the slot is released when it settles. */
  wait(options: {
    resource: ResolvedResource;
    waitFor?: KratixWaitFor;
    signal?: AbortSignal;
    onProgress?: (line: string) => void;
  }): Promise<WaitForResourceResult>;
  /** Gives the slot back without waiting (e.g. the Resource could not be created). Idempotent. */
  release(): void;
}

/**
 * Admits waits within the limits. Root-scoped (`kratixWaitServiceRef`), so the scaffolder actions
 * and the Kratix plugin's MCP actions count against the same per-user cap.
 *
 * @public
 */
export interface KratixWaitService {
  /** The limits it admits waits within. */
  readonly limits: KratixWaitLimits;
  /**
   * The timeout in seconds: `seconds`, or `defaultSeconds` lowered to the maximum when omitted.
   * InputError naming `timeoutSeconds` when it is not a positive number or above the maximum.
   */
  timeoutSeconds(seconds: number | undefined, defaultSeconds: number): number;
  /**
   * Admits one wait of the caller on a Resource of `promise` on `cluster`, or throws before anything
   * waits: InputError for the timeout, a {@link KratixWaitError} with reason `unavailable` when the
   * Promise is not Available (with its reason), or with reason `limit` beyond the per-user cap.
   */
  begin(options: {
    credentials: BackstageCredentials;
    cluster: string;
    promise: string;
    timeoutSeconds: number | undefined;
    defaultTimeoutSeconds: number;
  }): Promise<KratixWaitTicket>;
}

/** Who a wait counts against: the user, or the calling service. */
function waiterOf(credentials: BackstageCredentials): string {
  const principal = credentials.principal as {
    type: string;
    userEntityRef?: string;
    subject?: string;
  };
  if (principal.type === 'user' && principal.userEntityRef) {
    return principal.userEntityRef;
  }
  if (principal.type === 'service' && principal.subject) {
    return `service:${principal.subject}`;
  }
  return principal.type;
}

/**
 * Why a Promise is not Available: a False condition says why (RequirementsFulfilled, say) better
 * than an Unknown one or Available itself.
 */
function unavailableReason(promise: KratixPromiseView): string {
  const other = promise.conditions.filter(c => c.type !== 'Available');
  const reason =
    other.find(c => c.status === 'False') ??
    other.find(c => c.status !== 'True') ??
    promise.conditions.find(c => c.type === 'Available');
  const requires = promise.requiredPromises?.length
    ? `; it requires ${promise.requiredPromises.join(', ')}`
    : '';
  return `${
    reason ? describeCondition(reason) : 'no condition says why'
  }${requires}`;
}

/**
 * The in-memory {@link KratixWaitService}: counts per backend instance, like the stream cap.
 *
 * @public
 */
export class DefaultKratixWaitService implements KratixWaitService {
  private readonly running = new Map<string, number>();

  constructor(
    private readonly clusters: KratixClusterService,
    readonly limits: KratixWaitLimits = DEFAULT_KRATIX_WAIT_LIMITS,
  ) {}

  /** The service with the limits of `kratix.waits` (see {@link readWaitLimits}). */
  static fromConfig(
    config: RootConfigService,
    clusters: KratixClusterService,
  ): DefaultKratixWaitService {
    return new DefaultKratixWaitService(clusters, readWaitLimits(config));
  }

  /** {@inheritDoc KratixWaitService.timeoutSeconds} */
  timeoutSeconds(seconds: number | undefined, defaultSeconds: number): number {
    const { maxSeconds } = this.limits;
    if (seconds === undefined) return Math.min(defaultSeconds, maxSeconds);
    if (typeof seconds !== 'number' || !Number.isFinite(seconds)) {
      throw new InputError(
        `timeoutSeconds: ${
          typeof seconds === 'string'
            ? JSON.stringify(seconds)
            : String(seconds)
        } is not a number of seconds`,
      );
    }
    if (seconds <= 0) {
      throw new InputError(
        `timeoutSeconds: ${seconds} is not a positive number of seconds`,
      );
    }
    if (seconds > maxSeconds) {
      throw new InputError(
        `timeoutSeconds: ${seconds} is more than the longest wait allowed, ${maxSeconds} seconds (kratix.waits.maxSeconds)`,
      );
    }
    return seconds;
  }

  /** {@inheritDoc KratixWaitService.begin} */
  async begin(options: {
    credentials: BackstageCredentials;
    cluster: string;
    promise: string;
    timeoutSeconds: number | undefined;
    defaultTimeoutSeconds: number;
  }): Promise<KratixWaitTicket> {
    const timeoutSeconds = this.timeoutSeconds(
      options.timeoutSeconds,
      options.defaultTimeoutSeconds,
    );
    await this.checkAvailable(options.cluster, options.promise);
    // Counted synchronously after the last await, so concurrent begins cannot both take the last slot.
    const waiter = waiterOf(options.credentials);
    const count = this.running.get(waiter) ?? 0;
    if (count >= this.limits.maxPerUser) {
      throw new KratixWaitError(
        'limit',
        `Too many Kratix waits at once: ${waiter} already has ${count} running (at most ${this.limits.maxPerUser}, kratix.waits.maxPerUser, templates and AI assistants together); try again when one ends`,
      );
    }
    this.running.set(waiter, count + 1);
    let released = false;
    const release = () => {
      if (released) return;
      released = true;
      const left = (this.running.get(waiter) ?? 1) - 1;
      if (left > 0) this.running.set(waiter, left);
      else this.running.delete(waiter);
    };
    return {
      timeoutSeconds,
      release,
      wait: async ({ resource, waitFor, signal, onProgress }) => {
        try {
          return await waitForResource({
            clusters: this.clusters,
            resource,
            waitFor,
            timeoutMs: timeoutSeconds * 1000,
            signal,
            onProgress,
          });
        } finally {
          release();
        }
      },
    };
  }

  /**
   * A Promise whose `status.status` says it is not Available runs no workflow for its Resources:
   * refuse at once, with the condition that says why. A Promise without that field (Kratix before
   * the availability status) or on a cluster that cannot answer now is not judged here; the wait
   * still fails on the Resource's own PromiseAvailable condition.
   */
  private async checkAvailable(cluster: string, promise: string) {
    const { items } = await this.clusters.listPromises();
    const found = items.find(p => p.cluster === cluster && p.name === promise);
    if (!found?.status || found.status === 'Available') return;
    throw new KratixWaitError(
      'unavailable',
      `Promise ${promise} on cluster ${cluster} is ${
        found.status
      }, so its Resources' workflows do not run and a wait would never end: ${unavailableReason(
        found,
      )}`,
    );
  }
}
