/*
 * A Resource's workflow runs and their pipeline logs, for the routes (…/runs, …/logs) and the MCP
 * action. The caller reaches the Resource through the one-Resource read (EntityResources: the
 * entity as the caller, the link confirmed, `kratix.resource.read`); this decides
 * `kratix.resource.logs.read` on the same Resource with the same owners, since logs can hold
 * secrets. Without it a caller sees the runs and their containers (that logs exist), never a line,
 * and is told who grants it. Every read of log content is an audit event.
 */
import type {
  AuditorService,
  BackstageCredentials,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import type { Entity } from '@backstage/catalog-model';
import { stringifyEntityRef } from '@backstage/catalog-model';
import {
  ConflictError,
  NotAllowedError,
  NotFoundError,
  ServiceUnavailableError,
} from '@backstage/errors';
import {
  defaultLogContainer,
  kratixResourceLogsReadPermission,
  type KratixRunContainer,
  type KratixWorkflowRun,
  type KratixWorkflowRunsResponse,
} from '@kratix-backstage/plugin-kratix-common';
import {
  entityOwners,
  KratixPodLogError,
  type KratixClusterService,
  type KratixWorkflowRunInfo,
  type ResolvedResource,
} from '@kratix-backstage/plugin-kratix-node';
import type { Request } from 'express';
import type { KeptLog, KeptLogs } from '../journal/KeptLogs';
import { splitLines } from '../journal/FailedLogKeeper';
import type { LogSettings } from '../pipelineLogs/logsConfig';
import { EntityResources } from './EntityResources';
import { mayReadResources } from './readDecision';
import type { ResourceAddress } from './types';

/** Runs whose containers' last lines are read for /runs (Kratix keeps 5 per pipeline). */
const LAST_LINE_RUNS = 5;
/** A last line longer than this is cut: it is a preview. */
const LAST_LINE_BYTES = 4096;

/** Who asks, for what: the Resource as the one-Resource read found it. */
export interface LogsTarget {
  entity: Entity;
  address: ResourceAddress;
  resolved: ResolvedResource;
}

export interface LogsContext {
  credentials: BackstageCredentials;
  request?: Request;
}

/** Which container of which run, as asked (run and container default as the contract says). */
export interface LogsQuery {
  run?: string;
  container?: string;
  tailLines?: number;
}

/** The run and container a logs read settled on, ready to read from the cluster. */
export interface LogsSelection {
  run: KratixWorkflowRunInfo;
  pod: string;
  container: KratixRunContainer;
}

/** A Pod Kratix already collected: 410, with what is kept of its failed container. */
export class LogsGoneError extends Error {
  readonly statusCode = 410;
  constructor(
    message: string,
    readonly job: string,
    readonly kept?: KratixWorkflowRun['kept'],
  ) {
    super(message);
    this.name = 'GoneError';
  }
}

export const LOGS_HIDDEN_REASON =
  "Pipeline logs can hold secrets, so reading them is its own permission (kratix.resource.logs.read): the entity's owners and the platform team hold it. Ask them, or the platform team, for the log.";

export class PipelineLogs {
  constructor(
    private readonly deps: {
      permissions: PermissionsService;
      clusters: KratixClusterService;
      kept: KeptLogs;
      auditor: AuditorService;
      settings: LogSettings;
    },
  ) {}

  get settings(): LogSettings {
    return this.deps.settings;
  }

  /** `kratix.resource.logs.read` on the Resource, with the owners the read was decided with. */
  async mayReadLogs(
    target: LogsTarget,
    credentials: BackstageCredentials,
  ): Promise<boolean> {
    const [allowed] = await mayReadResources(
      this.deps.permissions,
      credentials,
      [
        EntityResources.permissionResource(
          target.resolved,
          entityOwners(target.entity),
        ),
      ],
      // The Resource was reached through the read (the cluster's review included there).
      { permission: kratixResourceLogsReadPermission },
    );
    return allowed;
  }

  /** The Resource's runs, newest first; log content only for a caller who may read logs. */
  async runs(
    target: LogsTarget,
    context: LogsContext,
  ): Promise<KratixWorkflowRunsResponse> {
    const allowed = await this.mayReadLogs(target, context.credentials);
    const audit = allowed
      ? await this.audit(target, context, { read: 'runs' })
      : undefined;
    try {
      const [{ runs: cluster, logsError }, kept] = await Promise.all([
        this.deps.clusters.listWorkflowRuns(target.resolved),
        this.keptOf(target),
      ]);
      const runs: KratixWorkflowRun[] = cluster.map(run =>
        this.shape(run, allowed, logsError),
      );
      if (allowed) {
        await Promise.all(
          cluster
            .slice(0, LAST_LINE_RUNS)
            .map((run, i) => this.addLastLines(target, run, runs[i])),
        );
      }
      // Kept tails: with their run, or as the run itself once Kratix collected its Job.
      for (const log of kept) {
        const run = runs.find(r => r.job === log.job);
        if (run) {
          if (allowed) run.kept = keptOf(log);
          continue;
        }
        runs.push(this.keptRun(log, allowed));
      }
      runs.sort(
        (a, b) =>
          (b.startedAt ?? '').localeCompare(a.startedAt ?? '') ||
          b.job.localeCompare(a.job),
      );
      await audit?.success({ meta: { runs: runs.length } });
      return { runs };
    } catch (error) {
      await audit?.fail({ error: error as Error });
      throw error;
    }
  }

  /**
   * Decides and settles which container of which run a logs read is for: 403 without the logs
   * permission (no content), 404 naming an unknown run or container, 410 when the Pod is collected
   * (with what is kept), 409 for a container that has not started. Audited, refusals included; the
   * returned `audit` is to be settled by the caller once the content is sent.
   */
  async select(
    target: LogsTarget,
    query: LogsQuery & { follow?: boolean },
    context: LogsContext,
  ): Promise<LogsSelection & { audit: AuditEvent }> {
    const audit = await this.audit(target, context, {
      read: 'logs',
      run: query.run ?? null,
      container: query.container ?? null,
      follow: query.follow ?? false,
    });
    try {
      if (!(await this.mayReadLogs(target, context.credentials))) {
        throw new NotAllowedError(
          `You may not read the pipeline logs of ${describe(
            target.address,
          )}. ${LOGS_HIDDEN_REASON}`,
        );
      }
      return { ...(await this.settle(target, query)), audit };
    } catch (error) {
      await audit.fail({ error: error as Error });
      throw error;
    }
  }

  /** One container's log, bounded by the bytes per response. */
  async read(
    target: LogsTarget,
    selection: LogsSelection,
    options: { tailLines?: number; timestamps?: boolean },
  ): Promise<{ text: string; truncated: boolean }> {
    const limit = this.deps.settings.maxBytesPerResponse;
    try {
      const text = await this.deps.clusters.readPodLog(
        target.resolved.kind.cluster,
        {
          namespace: selection.run.namespace,
          pod: selection.pod,
          container: selection.container.name,
          tailLines: options.tailLines,
          limitBytes: limit,
          timestamps: options.timestamps,
        },
      );
      return { text, truncated: Buffer.byteLength(text) >= limit };
    } catch (error) {
      throw await this.translate(target, selection.run, error);
    }
  }

  /** A cluster error about a log, as the route answers it. */
  async translate(
    target: LogsTarget,
    run: KratixWorkflowRunInfo,
    error: unknown,
  ): Promise<Error> {
    if (!(error instanceof KratixPodLogError)) return error as Error;
    if (error.reason === 'gone') return this.gone(target, run.job);
    if (error.reason === 'invalid') return new ConflictError(error.message);
    return new ServiceUnavailableError(error.message);
  }

  private async settle(
    target: LogsTarget,
    query: LogsQuery,
  ): Promise<LogsSelection> {
    const { runs, logsError } = await this.deps.clusters.listWorkflowRuns(
      target.resolved,
    );
    if (logsError) throw new ServiceUnavailableError(logsError);
    const run = query.run ? runs.find(r => r.job === query.run) : runs[0];
    if (!run) {
      const kept = query.run
        ? (await this.keptOf(target)).find(k => k.job === query.run)
        : undefined;
      if (kept) throw await this.gone(target, kept.job);
      throw new NotFoundError(
        query.run
          ? `No workflow run "${query.run}" of ${describe(target.address)}${
              runs.length
                ? ` (its runs: ${runs.map(r => r.job).join(', ')})`
                : ''
            }`
          : `${describe(target.address)} has no workflow runs`,
      );
    }
    if (!run.pod) throw await this.gone(target, run.job);
    const name = query.container ?? defaultLogContainer(run);
    const container = run.containers.find(c => c.name === name);
    if (!container) {
      throw new NotFoundError(
        `No container "${name}" in run ${
          run.job
        } (its containers: ${run.containers.map(c => c.name).join(', ')})`,
      );
    }
    if (container.state === 'waiting') {
      throw new ConflictError(
        `Container "${container.name}" of run ${run.job} has not started${
          container.reason ? ` (${container.reason})` : ''
        }: it has no log`,
      );
    }
    return { run, pod: run.pod, container };
  }

  /** 410 for a run whose Pod Kratix collected, saying what is kept of it. */
  private async gone(target: LogsTarget, job: string): Promise<LogsGoneError> {
    const log = (await this.keptOf(target)).find(k => k.job === job);
    const what = `The Pod of run ${job} is gone: Kratix keeps a bounded number of runs and collects older ones.`;
    if (!log) {
      return new LogsGoneError(
        `${what} Nothing of its log is kept (only the last lines of failed containers are, per kratix.history.failedLogLines).`,
        job,
      );
    }
    return new LogsGoneError(
      `${what} Kept: the last ${
        log.lines.length
      } lines of the failed container "${log.container}"${
        log.exitCode === undefined ? '' : ` (exit code ${log.exitCode})`
      }, in this answer's "kept" and in the run's "kept" of …/runs.`,
      job,
      keptOf(log),
    );
  }

  private keptOf(target: LogsTarget): Promise<KeptLog[]> {
    const uid = target.resolved.object.metadata.uid;
    return uid
      ? this.deps.kept.forResource(target.address, uid)
      : Promise.resolve([]);
  }

  private shape(
    run: KratixWorkflowRunInfo,
    allowed: boolean,
    logsError?: string,
  ): KratixWorkflowRun {
    const { namespace: _namespace, ...rest } = run;
    return {
      ...rest,
      containers: run.containers.map(c => ({ ...c })),
      logsAllowed: allowed,
      ...(allowed ? {} : { logsHiddenReason: LOGS_HIDDEN_REASON }),
      ...(logsError ? { logsError } : {}),
    };
  }

  /** A run Kratix collected, known only from what was kept of its failed container. */
  private keptRun(log: KeptLog, allowed: boolean): KratixWorkflowRun {
    return {
      job: log.job,
      pipeline: log.pipeline,
      action: log.action,
      phase: 'Failed',
      startedAt: log.startedAt,
      finishedAt: log.finishedAt,
      containers: [
        {
          name: log.container,
          init: log.container !== 'status-writer',
          state: 'terminated',
          exitCode: log.exitCode,
          reason: log.reason,
        },
      ],
      failedContainer: log.container,
      logsAllowed: allowed,
      ...(allowed
        ? { kept: keptOf(log) }
        : { logsHiddenReason: LOGS_HIDDEN_REASON }),
    };
  }

  /** Each container's last line (those that ran); a missing access is named on the run. */
  private async addLastLines(
    target: LogsTarget,
    run: KratixWorkflowRunInfo,
    shaped: KratixWorkflowRun,
  ): Promise<void> {
    if (!run.pod || shaped.logsError) return;
    await Promise.all(
      shaped.containers.map(async container => {
        if (container.state === 'waiting') return;
        try {
          const text = await this.deps.clusters.readPodLog(
            target.resolved.kind.cluster,
            {
              namespace: run.namespace,
              pod: run.pod!,
              container: container.name,
              tailLines: 1,
              limitBytes: LAST_LINE_BYTES,
            },
          );
          const [line] = splitLines(text).slice(-1);
          if (line !== undefined) container.lastLine = line;
        } catch (error) {
          if (!(error instanceof KratixPodLogError)) throw error;
          if (error.reason === 'forbidden') shaped.logsError = error.message;
          // Gone in between, or not started: no last line.
        }
      }),
    );
  }

  private audit(
    target: LogsTarget,
    context: LogsContext,
    meta: Record<string, string | boolean | null>,
  ) {
    return this.deps.auditor.createEvent({
      eventId: 'resource-logs-read',
      severityLevel: 'medium',
      request: context.request,
      meta: {
        entityRef: stringifyEntityRef(target.entity),
        target: { ...target.address },
        ...meta,
      },
    });
  }
}

type AuditEvent = Awaited<ReturnType<AuditorService['createEvent']>>;

function keptOf(log: KeptLog): NonNullable<KratixWorkflowRun['kept']> {
  return { container: log.container, exitCode: log.exitCode, lines: log.lines };
}

function describe(address: ResourceAddress): string {
  return `${address.cluster}:${address.promise}/${address.namespace}/${address.name}`;
}
