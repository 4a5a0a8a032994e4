/*
 * The request ledger, in the plugin's database: each create, update or delete delivered through Git
 * (a commit, or a pull request) and where it stands. Requests start `pending`; they leave it once,
 * through an UPDATE guarded by their state, so of several replicas seeing the same Resource appear
 * exactly one changes the row (and learns it did).
 */
import type { DatabaseService } from '@backstage/backend-plugin-api';
import { resolvePackagePath } from '@backstage/backend-plugin-api';
import { ConflictError, InputError } from '@backstage/errors';
import {
  normalizeEntityRef,
  type KratixRequestOperation,
  type KratixRequestState,
  type KratixRequestView,
} from '@kratix-backstage/plugin-kratix-common';
import type { Knex } from 'knex';
import { requestMessage } from './requestMessage';

const TABLE = 'kratix_requests';

/** How long a closed request stays listed for its entity. */
const CLOSED_LISTED_MS = 7 * 24 * 3600_000;

/** States a request can still leave: the platform may yet apply a stale one. */
const OPEN_STATES: KratixRequestState[] = ['pending', 'stale'];

/** The Resource a request is for. */
export interface RequestTarget {
  cluster: string;
  namespace: string;
  promise: string;
  name: string;
}

/** Whether two requests (or a request and an address) are for the same Resource. */
export const sameTarget = (a: RequestTarget, b: RequestTarget) =>
  a.cluster === b.cluster &&
  a.namespace === b.namespace &&
  a.promise === b.promise &&
  a.name === b.name;

/** Whether a request can still leave its state (OPEN_STATES: the platform may yet apply it). */
export const isOpenRequest = (request: { state: KratixRequestState }) =>
  OPEN_STATES.includes(request.state);

/** A request as delivered, before the ledger gives it a state. */
export type NewRequest = Omit<
  KratixRequestView,
  'state' | 'message' | 'createdAt' | 'updatedAt' | 'resourceUid'
> & {
  /** The entity's uid when requested (for the read rules: a later entity of that name is another). */
  entityUid?: string;
};

/** A request as the ledger holds it. */
export type RecordedRequest = KratixRequestView & { entityUid?: string };

interface Row {
  seq: number | string;
  id: string;
  operation: string;
  state: string;
  mode: string;
  cluster: string;
  promise: string;
  namespace: string;
  name: string;
  entity_ref: string | null;
  entity_key: string | null;
  entity_uid: string | null;
  requested_by: string;
  repository: string;
  branch: string;
  path: string;
  commit_sha: string;
  commit_url: string | null;
  pull_request_url: string | null;
  pull_request_number: number | string | null;
  pull_request_merged_at?: Date | string | number | null;
  resource_uid: string | null;
  created_at: Date | string | number;
  updated_at: Date | string | number;
}

const OPERATIONS: KratixRequestOperation[] = ['create', 'update', 'delete'];
const MODES = ['gitops', 'pull-request'];

/** A unique-key violation, as PostgreSQL, SQLite and MySQL report it (by code: the error's class may be another realm's). */
function isUniqueViolation(error: unknown): boolean {
  const { code, message } = (error ?? {}) as {
    code?: string;
    message?: string;
  };
  return (
    code === '23505' ||
    code === 'SQLITE_CONSTRAINT_UNIQUE' ||
    code === 'ER_DUP_ENTRY' ||
    /UNIQUE constraint failed/.test(message ?? '')
  );
}

/** SQLite hands timestamps back as epoch milliseconds, PostgreSQL as Dates. */
function iso(value: Date | string | number): string {
  return new Date(
    typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : value,
  ).toISOString();
}

const targetColumns = (target: RequestTarget) => ({
  cluster: target.cluster,
  namespace: target.namespace,
  promise: target.promise,
  name: target.name,
});

export class RequestLedger {
  /** Runs the plugin's migrations (the same set and table as the journal's), then opens the ledger. */
  static async create(options: {
    database: DatabaseService;
  }): Promise<RequestLedger> {
    const { database } = options;
    const knex = await database.getClient();
    if (!database.migrations?.skip) {
      await knex.migrate.latest({
        directory: resolvePackagePath(
          '@kratix-backstage/plugin-kratix-backend',
          'migrations',
        ),
        tableName: 'kratix_knex_migrations',
      });
    }
    return new RequestLedger(knex);
  }

  private readonly writeListeners = new Set<() => void>();

  private constructor(private readonly knex: Knex) {}

  /**
   * Calls `listener` after each write through this ledger has finished, whether or not it changed
   * a row (a replica that lost a race to another still learns the row moved). Returns the unsubscribe.
   */
  onWrite(listener: () => void): () => void {
    this.writeListeners.add(listener);
    return () => this.writeListeners.delete(listener);
  }

  private async written<T>(write: PromiseLike<T>): Promise<T> {
    try {
      return await write;
    } finally {
      for (const listener of this.writeListeners) listener();
    }
  }

  /** Records a delivered request as pending; ConflictError when its id is already recorded. */
  async record(
    request: NewRequest,
    now = new Date(),
  ): Promise<RecordedRequest> {
    if (!OPERATIONS.includes(request.operation)) {
      throw new InputError(`Unknown request operation "${request.operation}"`);
    }
    if (!MODES.includes(request.mode)) {
      throw new InputError(`Unknown delivery mode "${request.mode}"`);
    }
    try {
      await this.written(this.insert(request, now));
    } catch (error) {
      if (isUniqueViolation(error)) {
        throw new ConflictError(`Request ${request.id} is already recorded`);
      }
      throw error;
    }
    return (await this.get(request.id, now))!;
  }

  private async insert(request: NewRequest, now: Date) {
    await this.knex(TABLE).insert({
      id: request.id,
      operation: request.operation,
      state: 'pending',
      mode: request.mode,
      ...targetColumns(request),
      entity_ref: request.entityRef ?? null,
      entity_key: request.entityRef
        ? normalizeEntityRef(request.entityRef) ?? request.entityRef
        : null,
      entity_uid: request.entityUid ?? null,
      requested_by: request.requestedBy,
      repository: request.repository,
      branch: request.branch,
      path: request.path,
      commit_sha: request.commitSha,
      commit_url: request.commitUrl ?? null,
      pull_request_url: request.pullRequestUrl ?? null,
      pull_request_number: request.pullRequestNumber ?? null,
      resource_uid: null,
      created_at: now,
      updated_at: now,
    });
  }

  async get(
    id: string,
    now = new Date(),
  ): Promise<RecordedRequest | undefined> {
    const row = await this.knex<Row>(TABLE).where({ id }).first();
    return row ? this.view(row, now) : undefined;
  }

  /** The pending create or update request for that Resource name (the newest), if any: the 409's subject. */
  async openFor(
    target: RequestTarget,
    now = new Date(),
  ): Promise<RecordedRequest | undefined> {
    const row = await this.knex<Row>(TABLE)
      .where({ ...targetColumns(target), state: 'pending' })
      .whereIn('operation', ['create', 'update'])
      .orderBy('seq', 'desc')
      .first();
    return row ? this.view(row, now) : undefined;
  }

  /**
   * The requests for an entity the platform has not applied: pending, stale, and closed within the
   * last 7 days; newest first, at most `limit` (default 50).
   */
  async listForEntity(
    entityRef: string,
    options: { limit?: number; now?: Date } = {},
  ): Promise<RecordedRequest[]> {
    const now = options.now ?? new Date();
    const key = normalizeEntityRef(entityRef) ?? entityRef;
    const rows = await this.knex<Row>(TABLE)
      .where({ entity_key: key })
      .andWhere(query =>
        query
          .whereIn('state', OPEN_STATES)
          .orWhere(closed =>
            closed
              .where({ state: 'closed' })
              .andWhere(
                'updated_at',
                '>=',
                new Date(now.getTime() - CLOSED_LISTED_MS),
              ),
          ),
      )
      .orderBy('seq', 'desc')
      .limit(options.limit ?? 50);
    return rows.map(row => this.view(row, now));
  }

  /**
   * Pending requests, oldest first (with `includeStale`, stale ones too: the platform may still
   * apply them); at most `limit` (default 1000), the newest kept when there are more.
   */
  async listPending(
    options: { includeStale?: boolean; limit?: number; now?: Date } = {},
  ): Promise<RecordedRequest[]> {
    const now = options.now ?? new Date();
    const rows = await this.knex<Row>(TABLE)
      .whereIn('state', options.includeStale ? OPEN_STATES : ['pending'])
      .orderBy('seq', 'desc')
      .limit(options.limit ?? 1000);
    return rows.reverse().map(row => this.view(row, now));
  }

  /** The open (pending or stale) requests of one operation for a Resource, oldest first. */
  async openRequests(
    target: RequestTarget,
    operation: KratixRequestOperation,
    now = new Date(),
  ): Promise<RecordedRequest[]> {
    const rows = await this.knex<Row>(TABLE)
      .where({ ...targetColumns(target), operation })
      .whereIn('state', OPEN_STATES)
      .orderBy('seq', 'asc');
    return rows.map(row => this.view(row, now));
  }

  /** Marks a pending or stale request applied; true when this call changed it. */
  async markApplied(
    id: string,
    resourceUid?: string,
    now = new Date(),
  ): Promise<boolean> {
    const changed = await this.written(
      this.knex(TABLE)
        .where({ id })
        .whereIn('state', OPEN_STATES)
        .update({
          state: 'applied',
          resource_uid: resourceUid ?? null,
          updated_at: now,
        }),
    );
    return changed > 0;
  }

  /**
   * Marks the pending or stale requests for the same Resource recorded before `appliedId`
   * superseded: the platform has a later one. Returns how many changed.
   */
  async supersedeOlder(
    target: RequestTarget,
    appliedId: string,
    now = new Date(),
  ): Promise<number> {
    // Read first, not a subquery: MySQL refuses an UPDATE that selects from its own table.
    const applied = await this.knex<Row>(TABLE)
      .where({ id: appliedId })
      .first('seq');
    if (!applied) return 0;
    return this.written(
      this.knex(TABLE)
        .where(targetColumns(target))
        .whereIn('state', OPEN_STATES)
        .andWhere('seq', '<', applied.seq)
        .update({ state: 'superseded', updated_at: now }),
    );
  }

  /** Marks a pending or stale request closed (its pull request was closed unmerged). */
  async markClosed(id: string, now = new Date()): Promise<boolean> {
    const changed = await this.written(
      this.knex(TABLE)
        .where({ id })
        .whereIn('state', OPEN_STATES)
        .update({ state: 'closed', updated_at: now }),
    );
    return changed > 0;
  }

  /**
   * Marks an open gitops request closed because its branch no longer holds it: its file was removed
   * or now carries another request (for a delete, the file is back) before the platform applied
   * it. Only gitops rows, so a closed gitops request always means this (its message says so); true
   * when this call changed it.
   */
  async markClosedOnBranch(id: string, now = new Date()): Promise<boolean> {
    const changed = await this.written(
      this.knex(TABLE)
        .where({ id, mode: 'gitops' })
        .whereIn('state', OPEN_STATES)
        .update({ state: 'closed', updated_at: now }),
    );
    return changed > 0;
  }

  /**
   * Notes that the request's pull request was merged (it stays open until the platform applies it);
   * true when this call noted it.
   */
  async markMerged(id: string, now = new Date()): Promise<boolean> {
    const changed = await this.written(
      this.knex(TABLE)
        .where({ id, mode: 'pull-request' })
        .whereIn('state', OPEN_STATES)
        .whereNull('pull_request_merged_at')
        .update({ pull_request_merged_at: now, updated_at: now }),
    );
    return changed > 0;
  }

  /** Marks requests still pending that were recorded before `olderThan` stale; how many changed. */
  async markStale(olderThan: Date, now = new Date()): Promise<number> {
    return this.written(
      this.knex(TABLE)
        .where({ state: 'pending' })
        .andWhere('created_at', '<', olderThan)
        .update({ state: 'stale', updated_at: now }),
    );
  }

  /** Deletes settled requests (applied, superseded, closed, stale) last changed before the cutoff. */
  async prune(before: Date): Promise<number> {
    return this.written(
      this.knex(TABLE)
        .whereNot({ state: 'pending' })
        .andWhere('updated_at', '<', before)
        .delete(),
    );
  }

  private view(row: Row, now: Date): RecordedRequest {
    const base = {
      id: row.id,
      operation: row.operation as KratixRequestOperation,
      state: row.state as KratixRequestState,
      mode: row.mode as KratixRequestView['mode'],
      cluster: row.cluster,
      promise: row.promise,
      namespace: row.namespace,
      name: row.name,
      ...(row.entity_ref ? { entityRef: row.entity_ref } : {}),
      ...(row.entity_uid ? { entityUid: row.entity_uid } : {}),
      requestedBy: row.requested_by,
      repository: row.repository,
      branch: row.branch,
      path: row.path,
      commitSha: row.commit_sha,
      ...(row.commit_url ? { commitUrl: row.commit_url } : {}),
      ...(row.pull_request_url ? { pullRequestUrl: row.pull_request_url } : {}),
      ...(row.pull_request_number !== null
        ? { pullRequestNumber: Number(row.pull_request_number) }
        : {}),
      ...(row.pull_request_merged_at
        ? { pullRequestMergedAt: iso(row.pull_request_merged_at) }
        : {}),
      ...(row.resource_uid ? { resourceUid: row.resource_uid } : {}),
      createdAt: iso(row.created_at),
      updatedAt: iso(row.updated_at),
    };
    return { ...base, message: requestMessage(base, now) };
  }
}
