/*
 * The Resource journal: every condition transition, and the manage actions users took, in the
 * plugin's database (SQLite locally, PostgreSQL in production); the timeline is read from it.
 * Kubernetes keeps only the last transition of each condition; this keeps all of them, bounded by
 * a retention period and by a number per Resource (kratix.history.maxEntriesPerResource): the
 * newest are read, and the oldest beyond the bound are deleted (manage actions at once, since users
 * add them; transitions by the hourly prune).
 */
import type { DatabaseService } from '@backstage/backend-plugin-api';
import { resolvePackagePath } from '@backstage/backend-plugin-api';
import { TtlCache } from '@kratix-backstage/plugin-kratix-node';
import type { Knex } from 'knex';

const TABLE = 'kratix_condition_transitions';
const ACTIONS = 'kratix_resource_actions';

/** A manage action a user took through Backstage. */
export interface ResourceAction extends ResourceKey {
  resourceUid: string;
  action: string;
  /** Who: a user entity ref. */
  actor: string;
  message?: string;
  actedAt: string;
}

export interface ResourceKey {
  cluster: string;
  promise: string;
  namespace: string;
  name: string;
}

export interface ConditionTransition extends ResourceKey {
  resourceUid: string;
  conditionType: string;
  status: string;
  reason: string;
  message?: string;
  transitionTime: string;
  generation?: number;
}

interface Row {
  cluster: string;
  resource_uid: string;
  promise: string;
  namespace: string;
  name: string;
  condition_type: string;
  status: string;
  reason: string;
  message: string | null;
  transition_time: string;
  generation: number | string | null;
  recorded_at: Date | string;
}

/** The columns that name a Resource in both tables. */
const resourceColumns = (key: ResourceKey) => ({
  cluster: key.cluster,
  promise: key.promise,
  namespace: key.namespace,
  name: key.name,
});

/** Default of `kratix.history.maxEntriesPerResource`. */
export const DEFAULT_MAX_ENTRIES_PER_RESOURCE = 1000;

export interface ResourceJournalOptions {
  /** Transitions, and manage actions, kept and read per Resource incarnation (uid); the newest. */
  maxEntriesPerResource?: number;
}

export class ResourceJournal {
  static async create(
    database: DatabaseService,
    options: ResourceJournalOptions = {},
  ): Promise<ResourceJournal> {
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
    return new ResourceJournal(
      knex,
      options.maxEntriesPerResource ?? DEFAULT_MAX_ENTRIES_PER_RESOURCE,
    );
  }

  /**
   * Recent reads per Resource incarnation (uid): a timeline read is served from memory while nothing
   * was recorded for it. This replica's recorder sees every change its watches see and drops the
   * entry when it writes; the ttl bounds what another replica's writes can leave unseen.
   */
  private readonly recent = new TtlCache<ConditionTransition[]>(10_000);
  private readonly recentActions = new TtlCache<ResourceAction[]>(10_000);

  private constructor(
    private readonly knex: Knex,
    private readonly maxPerResource: number,
  ) {}

  /** Records transitions; ones already recorded (by this or another replica) are skipped. */
  async record(
    transitions: ConditionTransition[],
    now = new Date(),
  ): Promise<void> {
    if (transitions.length === 0) return;
    try {
      await this.insert(transitions, now);
    } finally {
      // After the write, so a read during it cannot keep the table without these rows.
      for (const uid of new Set(transitions.map(t => t.resourceUid))) {
        this.recent.delete(uid);
      }
    }
  }

  private async insert(transitions: ConditionTransition[], now: Date) {
    await this.knex(TABLE)
      .insert(
        transitions.map(t => ({
          cluster: t.cluster,
          resource_uid: t.resourceUid,
          promise: t.promise,
          namespace: t.namespace,
          name: t.name,
          condition_type: t.conditionType,
          status: t.status,
          reason: t.reason,
          message: t.message ?? null,
          transition_time: t.transitionTime,
          generation: t.generation ?? null,
          recorded_at: now,
        })),
      )
      .onConflict([
        'cluster',
        'resource_uid',
        'condition_type',
        'status',
        'reason',
        'transition_time',
      ])
      .ignore();
  }

  /** Every recorded transition of one Resource (all its incarnations by uid), oldest first. */
  transitions(
    key: ResourceKey,
    resourceUid?: string,
  ): Promise<ConditionTransition[]> {
    if (!resourceUid) return this.readTransitions(key);
    return this.recent.get(resourceUid, () =>
      this.readTransitions(key, resourceUid),
    );
  }

  private async readTransitions(
    key: ResourceKey,
    resourceUid?: string,
  ): Promise<ConditionTransition[]> {
    const query = this.knex<Row>(TABLE).where(resourceColumns(key));
    if (resourceUid) query.andWhere({ resource_uid: resourceUid });
    // The newest only: what the prune has not trimmed yet is never read.
    const rows = await query
      .orderBy([
        { column: 'transition_time', order: 'desc' },
        { column: 'id', order: 'desc' },
      ])
      .limit(this.maxPerResource);
    return rows.reverse().map(row => ({
      cluster: row.cluster,
      promise: row.promise,
      namespace: row.namespace,
      name: row.name,
      resourceUid: row.resource_uid,
      conditionType: row.condition_type,
      status: row.status,
      reason: row.reason,
      message: row.message ?? undefined,
      transitionTime: row.transition_time,
      generation: row.generation === null ? undefined : Number(row.generation),
    }));
  }

  async recordAction(action: ResourceAction): Promise<void> {
    await this.knex(ACTIONS).insert({
      cluster: action.cluster,
      resource_uid: action.resourceUid,
      promise: action.promise,
      namespace: action.namespace,
      name: action.name,
      action: action.action,
      actor: action.actor,
      message: action.message ?? null,
      acted_at: new Date(action.actedAt),
    });
    // Users add these: trim at once, so no one can grow a Resource's journal past the bound.
    await this.trim(ACTIONS, 'acted_at', action.resourceUid);
    // After the write, so a read during it cannot keep the table without this row.
    this.recentActions.delete(action.resourceUid);
  }

  /** The manage actions taken on one Resource (this incarnation), oldest first. */
  actions(key: ResourceKey, resourceUid: string): Promise<ResourceAction[]> {
    return this.recentActions.get(resourceUid, () =>
      this.readActions(key, resourceUid),
    );
  }

  private async readActions(
    key: ResourceKey,
    resourceUid: string,
  ): Promise<ResourceAction[]> {
    const rows = await this.knex(ACTIONS)
      .where({ ...resourceColumns(key), resource_uid: resourceUid })
      .orderBy([
        { column: 'acted_at', order: 'desc' },
        { column: 'id', order: 'desc' },
      ])
      .limit(this.maxPerResource);
    return rows.reverse().map(row => ({
      cluster: row.cluster,
      promise: row.promise,
      namespace: row.namespace,
      name: row.name,
      resourceUid: row.resource_uid,
      action: row.action,
      actor: row.actor,
      message: row.message ?? undefined,
      actedAt: new Date(row.acted_at).toISOString(),
    }));
  }

  /**
   * Deletes what was recorded before the cutoff, and each Resource's oldest rows beyond
   * maxEntriesPerResource; returns how many rows went.
   */
  async prune(before: Date): Promise<number> {
    const transitions = await this.knex(TABLE)
      .where('recorded_at', '<', before)
      .delete();
    const actions = await this.knex(ACTIONS)
      .where('acted_at', '<', before)
      .delete();
    const excess =
      (await this.trim(TABLE, 'transition_time')) +
      (await this.trim(ACTIONS, 'acted_at'));
    return transitions + actions + excess;
  }

  /**
   * Deletes the rows of each Resource incarnation (of one, when `resourceUid` is given) beyond the
   * newest maxEntriesPerResource. A window function: SQLite 3.25+ and PostgreSQL both have them.
   */
  private async trim(
    table: string,
    timeColumn: string,
    resourceUid?: string,
  ): Promise<number> {
    const ranked = this.knex(table)
      .select(
        'id',
        this.knex.raw(
          `ROW_NUMBER() OVER (PARTITION BY cluster, resource_uid ORDER BY ?? DESC, id DESC) AS kratix_rank`,
          [timeColumn],
        ),
      )
      .modify(query => {
        if (resourceUid) query.where({ resource_uid: resourceUid });
      })
      .as('ranked');
    const excess = this.knex
      .select('id')
      .from(ranked)
      .where('kratix_rank', '>', this.maxPerResource);
    return this.knex(table).whereIn('id', excess).delete();
  }
}
