/*
 * The last lines of failed pipeline containers, kept in the plugin's database with their run (the
 * Job), so the reason a workflow failed outlives the Pod. Bounded three ways: lines per container
 * (kratix.history.failedLogLines, set by the keeper), runs per Resource incarnation (the newest
 * MAX_KEPT_PER_RESOURCE, trimmed on every write) and the history's retention (the hourly prune).
 * Who may read them is decided by the caller (`kratix.resource.logs.read`).
 */
import type { DatabaseService } from '@backstage/backend-plugin-api';
import type { Knex } from 'knex';
import type { ResourceKey } from './ResourceJournal';

const TABLE = 'kratix_failed_container_logs';

/** Failed containers kept per Resource incarnation; Kratix itself keeps 5 runs per pipeline. */
export const MAX_KEPT_PER_RESOURCE = 20;

/** One failed container's last lines. */
export interface KeptLog extends ResourceKey {
  resourceUid: string;
  jobNamespace: string;
  job: string;
  pipeline: string;
  action?: string;
  container: string;
  exitCode?: number;
  reason?: string;
  startedAt?: string;
  finishedAt?: string;
  lines: string[];
}

export class KeptLogs {
  /** The journal's client: ResourceJournal.create has run the migrations. */
  static async create(database: DatabaseService): Promise<KeptLogs> {
    return new KeptLogs(await database.getClient());
  }

  private constructor(private readonly knex: Knex) {}

  /** Keeps one failed container's tail; a container already kept (by any replica) stays as it is. */
  async keep(log: KeptLog, now = new Date()): Promise<void> {
    await this.knex(TABLE)
      .insert({
        cluster: log.cluster,
        resource_uid: log.resourceUid,
        promise: log.promise,
        namespace: log.namespace,
        name: log.name,
        job_namespace: log.jobNamespace,
        job: log.job,
        pipeline: log.pipeline,
        action: log.action ?? null,
        container: log.container,
        exit_code: log.exitCode ?? null,
        reason: log.reason ?? null,
        started_at: log.startedAt ?? null,
        finished_at: log.finishedAt ?? null,
        lines: JSON.stringify(log.lines),
        recorded_at: now,
      })
      .onConflict(['cluster', 'job_namespace', 'job', 'container'])
      .ignore();
    await this.trim(log.cluster, log.resourceUid);
  }

  /** Whether a run's container is kept already. */
  async has(
    cluster: string,
    jobNamespace: string,
    job: string,
    container: string,
  ): Promise<boolean> {
    const row = await this.knex(TABLE)
      .where({ cluster, job_namespace: jobNamespace, job, container })
      .first('id');
    return row !== undefined;
  }

  /** What is kept for one Resource incarnation, newest run first. */
  async forResource(key: ResourceKey, resourceUid: string): Promise<KeptLog[]> {
    const rows = await this.knex(TABLE)
      .where({
        cluster: key.cluster,
        promise: key.promise,
        namespace: key.namespace,
        name: key.name,
        resource_uid: resourceUid,
      })
      .orderBy([
        { column: 'recorded_at', order: 'desc' },
        { column: 'id', order: 'desc' },
      ])
      .limit(MAX_KEPT_PER_RESOURCE);
    return rows.map(row => ({
      cluster: row.cluster,
      promise: row.promise,
      namespace: row.namespace,
      name: row.name,
      resourceUid: row.resource_uid,
      jobNamespace: row.job_namespace,
      job: row.job,
      pipeline: row.pipeline,
      action: row.action ?? undefined,
      container: row.container,
      exitCode: row.exit_code === null ? undefined : Number(row.exit_code),
      reason: row.reason ?? undefined,
      startedAt: row.started_at ?? undefined,
      finishedAt: row.finished_at ?? undefined,
      lines: parseLines(row.lines),
    }));
  }

  /** Deletes what was kept before the cutoff (the history's retention); returns how many went. */
  prune(before: Date): Promise<number> {
    return this.knex(TABLE).where('recorded_at', '<', before).delete();
  }

  private async trim(cluster: string, resourceUid: string): Promise<void> {
    const ranked = this.knex(TABLE)
      .select(
        'id',
        this.knex.raw(
          'ROW_NUMBER() OVER (ORDER BY recorded_at DESC, id DESC) AS kratix_rank',
        ),
      )
      .where({ cluster, resource_uid: resourceUid })
      .as('ranked');
    await this.knex(TABLE)
      .whereIn(
        'id',
        this.knex
          .select('id')
          .from(ranked)
          .where('kratix_rank', '>', MAX_KEPT_PER_RESOURCE),
      )
      .delete();
  }
}

function parseLines(text: string): string[] {
  try {
    const lines = JSON.parse(text);
    return Array.isArray(lines) ? lines.map(String) : [];
  } catch {
    return [];
  }
}
