/*
 * Who made each call: a bounded record (ring buffer) of every authenticated request's user, groups,
 * impersonator, verb, resource and the authorizer's decision, like the apiserver's audit log at the
 * Metadata level. For tests of what a backend sends as whom; the oldest records are dropped first.
 */

/** One request the API server decided on. @public */
export interface RequestRecord {
  /** When the decision was made (ISO 8601). */
  time: string;
  /** The user the request acted as (the impersonated one, when impersonating). */
  user: string;
  groups: string[];
  uid?: string;
  extra?: Record<string, string[]>;
  /** The authenticated caller, when it impersonated `user`. */
  impersonator?: { user: string; groups: string[] };
  /** get, list, watch, create, update, patch, delete, deletecollection, impersonate; or the lower-cased method of a non-resource request. */
  verb: string;
  method: string;
  path: string;
  resourceRequest: boolean;
  /** '' for the core group. */
  apiGroup: string;
  apiVersion?: string;
  resource?: string;
  subresource?: string;
  namespace?: string;
  name?: string;
  allowed: boolean;
  /** The authorizer's reason (`RBAC: allowed by ...`, or why a denial could not find a role). */
  reason?: string;
}

/** @public */
export type RequestListener = (record: RequestRecord) => void;

export const DEFAULT_REQUEST_LOG_SIZE = 1000;

/** @public */
export class RequestLog {
  private readonly buffer: RequestRecord[] = [];
  private next = 0;
  private readonly listeners = new Set<RequestListener>();

  constructor(readonly capacity: number = DEFAULT_REQUEST_LOG_SIZE) {
    if (!Number.isInteger(capacity) || capacity < 1) {
      throw new Error(
        `the request log's size must be a positive integer, got ${capacity}`,
      );
    }
  }

  add(record: RequestRecord): void {
    const frozen = Object.freeze(record);
    if (this.buffer.length < this.capacity) this.buffer.push(frozen);
    else this.buffer[this.next] = frozen;
    this.next = (this.next + 1) % this.capacity;
    for (const listener of [...this.listeners]) listener(frozen);
  }

  /** The records kept, oldest first, optionally those matching `filter`. */
  entries(filter?: (record: RequestRecord) => boolean): RequestRecord[] {
    const ordered =
      this.buffer.length < this.capacity
        ? [...this.buffer]
        : [...this.buffer.slice(this.next), ...this.buffer.slice(0, this.next)];
    return filter ? ordered.filter(filter) : ordered;
  }

  /** Called with each new record; returns the unsubscribe function. */
  subscribe(listener: RequestListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /**
   * The first kept or future record matching `filter`. Rejects after `timeoutMs` (default 10 s)
   * saying what it waited for, so a test fails with a reason instead of hanging.
   */
  waitFor(
    filter: (record: RequestRecord) => boolean,
    options: { timeoutMs?: number } = {},
  ): Promise<RequestRecord> {
    const found = this.entries(filter)[0];
    if (found) return Promise.resolve(found);
    const timeoutMs = options.timeoutMs ?? 10_000;
    return new Promise((resolve, reject) => {
      let timer: NodeJS.Timeout | undefined = undefined;
      const unsubscribe = this.subscribe(record => {
        if (!filter(record)) return;
        clearTimeout(timer);
        unsubscribe();
        resolve(record);
      });
      timer = setTimeout(() => {
        unsubscribe();
        reject(
          new Error(
            `no request matching the filter was recorded within ${timeoutMs} ms`,
          ),
        );
      }, timeoutMs);
    });
  }

  clear(): void {
    this.buffer.length = 0;
    this.next = 0;
  }
}
