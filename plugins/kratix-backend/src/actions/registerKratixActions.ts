/*
 * The Kratix actions for AI assistants (served over MCP by @backstage/plugin-mcp-actions-backend),
 * registered in the Kratix plugin's actions registry. Each runs as the caller (the registry hands the
 * user's credentials through) and uses the same services as the routes: the Promise list behind
 * `kratix.promise.read`, the authorized read path for a Resource's status, the one create flow, and
 * the watch-driven wait. Errors are the same @backstage/errors the routes answer with. On clusters
 * that act as each user, the create runs as the caller and reads pass the cluster's review, as on
 * the routes (the same services).
 */
import type { LoggerService } from '@backstage/backend-plugin-api';
import type { ActionsRegistryService } from '@backstage/backend-plugin-api/alpha';
import { parseEntityRef } from '@backstage/catalog-model';
import {
  ConflictError,
  InputError,
  NotFoundError,
  ServiceUnavailableError,
} from '@backstage/errors';
import { specSchemaOf } from '@kratix-backstage/plugin-kratix-common';
import {
  KratixWaitError,
  promiseNameOf,
  ticketAfterRequest,
  type KratixCallerService,
  type KratixClusterService,
  type KratixResourceCreationService,
  type KratixWaitService,
} from '@kratix-backstage/plugin-kratix-node';
import { notLinked, type EntityResources } from '../service/EntityResources';
import type { ReadablePromises } from '../service/ReadablePromises';
import {
  LogsGoneError,
  type LogsTarget,
  type PipelineLogs,
} from '../service/PipelineLogs';
import { splitLines } from '../journal/FailedLogKeeper';
import {
  pendingSummary,
  requestSchema,
  resourceAddressInput,
  resourceSummary,
  resourceSummarySchema,
} from './resourceSummary';
import {
  checkRequestId,
  describeTarget,
  followableRequest,
  untilRequestSettled,
  type RequestFollowing,
} from './requestWait';
import { sameTarget, type RecordedRequest } from '../requests';

export interface KratixActionsDeps {
  actionsRegistry: ActionsRegistryService;
  /** `kratix.promise.read`, decided as for the route. */
  promises: ReadablePromises;
  clusters: KratixClusterService;
  reader: EntityResources;
  creation: KratixResourceCreationService;
  /** The shared wait admission (kratixWaitServiceRef): the scaffolder's waits count against it too. */
  waits: KratixWaitService;
  /** Pipeline logs under `kratix.resource.logs.read`, with the routes' bounds (get-resource-logs). */
  logs?: PipelineLogs;
  /**
   * Who a create runs as on clusters that act as each user. An MCP call carries no ID token, so
   * an `oidc` cluster answers its create with the 401 that names the provider to sign in with.
   */
  callers?: KratixCallerService;
  /**
   * The request ledger, for wait-for-resource's `requestId` (requests delivered through Git).
   * Without it, every request id reads as unknown.
   */
  requests?: RequestFollowing;
}

/** Lines get-resource-logs answers with when the caller names no number. */
export const DEFAULT_LOG_TAIL_LINES = 100;
/** The most lines get-resource-logs answers with; kratix.logs.maxBytesPerResponse bounds them too. */
export const MAX_LOG_TAIL_LINES = 5000;

/** Assistants call over HTTP: a short default; kratix.waits.maxSeconds bounds what they may ask. */
const DEFAULT_WAIT_SECONDS = 120;

export function registerKratixActions(deps: KratixActionsDeps): void {
  const { actionsRegistry, promises, clusters, reader, creation, waits } = deps;

  actionsRegistry.register({
    name: 'list-promises',
    title: 'List Kratix Promises',
    description:
      'Lists the platform services (Kratix Promises) users can request, on every cluster, with the openAPIV3Schema of the spec each Resource takes.',
    attributes: { readOnly: true, idempotent: true },
    schema: {
      input: z => z.object({}),
      output: z =>
        z.object({
          promises: z.array(
            z.object({
              cluster: z.string(),
              name: z.string(),
              kind: z.string(),
              apiVersion: z.string(),
              description: z.string().optional(),
              status: z.string().optional(),
              specSchema: z
                .record(z.unknown())
                .optional()
                .describe("JSON Schema of the Resource's spec"),
            }),
          ),
          unreachableClusters: z.array(
            z.object({ cluster: z.string(), message: z.string() }),
          ),
        }),
    },
    action: async ({ credentials }) => {
      const { items, errors } = await promises.list(credentials);
      return {
        output: {
          promises: items.map(p => ({
            cluster: p.cluster,
            name: p.name,
            kind: p.kind,
            apiVersion: `${p.group}/${p.version}`,
            description: p.description,
            status: p.status,
            specSchema: specSchemaOf(p.schema),
          })),
          unreachableClusters: errors.map(e => ({
            cluster: e.cluster,
            message: e.message,
          })),
        },
      };
    },
  });

  /** The entity the caller may see, and the Resource's address (nothing read on the cluster yet). */
  const reachEntity = async (
    input: {
      entityRef: string;
      promise: string;
      name: string;
      namespace: string;
      cluster?: string;
    },
    credentials: Parameters<EntityResources['list']>[1],
  ) => {
    let ref;
    try {
      ref = parseEntityRef(input.entityRef);
    } catch {
      throw new InputError(
        `entityRef: "${input.entityRef}" is not an entity reference`,
      );
    }
    const decided = reader.decide(credentials);
    const entity = await reader.visibleEntity(ref, credentials, decided);
    const cluster = input.cluster ?? clusters.defaultCluster() ?? '';
    const address = {
      cluster,
      promise: await promiseNameOf(clusters, cluster, input.promise),
      namespace: input.namespace,
      name: input.name,
    };
    return { entity, address, decided };
  };
  /** The Resource of an entity the caller may read (the read path's authorization). */
  const reach = async (
    input: Parameters<typeof reachEntity>[0],
    credentials: Parameters<typeof reachEntity>[1],
  ) => {
    const { entity, address, decided } = await reachEntity(input, credentials);
    const target: LogsTarget = {
      entity,
      address,
      resolved: await reader.resourceOf(entity, address, credentials, decided),
    };
    return target;
  };
  const readable = async (
    input: Parameters<typeof reach>[0],
    credentials: Parameters<typeof reach>[1],
  ) => (await reach(input, credentials)).resolved;
  const entityRefInput = (z: Parameters<typeof resourceAddressInput>[0]) =>
    z
      .string()
      .min(1)
      .describe(
        'The catalog entity the Resource belongs to, e.g. `component:default/checkout-service`',
      );

  actionsRegistry.register({
    name: 'get-resource-status',
    title: 'Read a Kratix Resource status',
    description:
      "Reads the status of a Kratix Resource that belongs to a catalog entity: its message, state, the extra status its workflow wrote (e.g. connection details) and its conditions. The caller must be allowed to read the entity's Resources.",
    attributes: { readOnly: true, idempotent: true },
    schema: {
      input: z =>
        z.object({ entityRef: entityRefInput(z), ...resourceAddressInput(z) }),
      output: z => z.object({ resource: resourceSummarySchema(z) }),
    },
    action: async ({ input, credentials }) => ({
      output: {
        resource: resourceSummary(await readable(input, credentials)),
      },
    }),
  });

  const { logs } = deps;
  if (logs) {
    actionsRegistry.register({
      name: 'get-resource-logs',
      title: 'Read a Kratix Resource pipeline log',
      description:
        "Reads the log of one container of a Kratix Resource's workflow run (a pipeline Job): by default the latest run and its failing container, else the last that ran. Use it to explain why a workflow failed. The caller must be allowed to read the Resource's logs (kratix.resource.logs.read: the entity's owners and the platform team). When Kratix has collected the run's Pod, the kept last lines of its failed container are answered (source `kept`).",
      attributes: { readOnly: true, idempotent: true },
      schema: {
        input: z =>
          z.object({
            entityRef: entityRefInput(z),
            ...resourceAddressInput(z),
            run: z
              .string()
              .optional()
              .describe("The run (the Job's name); the latest when omitted"),
            container: z
              .string()
              .optional()
              .describe(
                'The container; the failing one (else the last that ran) when omitted',
              ),
            tailLines: z
              .number()
              .int()
              .min(1)
              .max(MAX_LOG_TAIL_LINES)
              .default(DEFAULT_LOG_TAIL_LINES)
              .describe(
                `The last lines to read (default ${DEFAULT_LOG_TAIL_LINES}, at most ${MAX_LOG_TAIL_LINES})`,
              ),
          }),
        output: z =>
          z.object({
            run: z.string(),
            pipeline: z.string().optional(),
            container: z.string(),
            exitCode: z.number().optional(),
            reason: z.string().optional(),
            failed: z.boolean().describe('Whether this container failed'),
            lines: z.array(z.string()),
            truncated: z
              .boolean()
              .describe(
                'True when the log was cut at kratix.logs.maxBytesPerResponse',
              ),
            source: z
              .enum(['pod', 'kept'])
              .describe(
                "`pod`: read from the cluster; `kept`: the failed container's last lines the history kept after Kratix collected the Pod",
              ),
          }),
      },
      action: async ({ input, credentials }) => {
        const target = await reach(input, credentials);
        let selection;
        try {
          selection = await logs.select(
            target,
            { run: input.run, container: input.container },
            { credentials },
          );
        } catch (error) {
          if (!(error instanceof LogsGoneError)) throw error;
          const kept = error.kept;
          if (
            !kept ||
            (input.container !== undefined &&
              input.container !== kept.container)
          )
            throw new NotFoundError(error.message);
          return {
            output: {
              run: error.job,
              container: kept.container,
              exitCode: kept.exitCode,
              failed: true,
              lines: kept.lines.slice(-input.tailLines),
              truncated: false,
              source: 'kept' as const,
            },
          };
        }
        const { audit, run, container } = selection;
        try {
          const { text, truncated } = await logs.read(target, selection, {
            tailLines: input.tailLines,
          });
          await audit.success({ meta: { bytes: Buffer.byteLength(text) } });
          return {
            output: {
              run: run.job,
              pipeline: run.pipeline,
              container: container.name,
              exitCode: container.exitCode,
              reason: container.reason,
              failed: run.failedContainer === container.name,
              lines: splitLines(text),
              truncated,
              source: 'pod' as const,
            },
          };
        } catch (error) {
          await audit.fail({ error: error as Error });
          throw error;
        }
      },
    });
  }

  actionsRegistry.register({
    name: 'create-resource',
    title: 'Request a Kratix Resource',
    description:
      'Requests a Kratix Resource from a Promise for a catalog entity, as the calling user (who must be allowed to create Resources for that entity). The spec is checked against the Promise schema (see list-promises). Calling again with the same name, entity and spec returns the same Resource; use wait-for-resource to wait for it. On a cluster that takes requests through Git, the request is committed (or opened as a pull request) instead: the answer is `pending` with the `request` (its commit or pull-request URL), and the Resource appears, for wait-for-resource, once the platform applies it.',
    attributes: { destructive: false, idempotent: true },
    examples: [
      {
        title: 'A small Redis for the checkout service',
        input: {
          promise: 'redis',
          name: 'checkout-cache',
          namespace: 'default',
          entityRef: 'component:default/checkout-service',
          spec: { size: 'small' },
          dryRun: false,
        },
      },
    ],
    schema: {
      input: z =>
        z.object({
          ...resourceAddressInput(z),
          entityRef: entityRefInput(z).optional(),
          spec: z
            .record(z.unknown())
            .default({})
            .describe("The Resource's spec, per the Promise's schema"),
          dryRun: z
            .boolean()
            .default(false)
            .describe('Validate and report without creating anything'),
        }),
      output: z =>
        z.object({
          resource: resourceSummarySchema(z),
          adopted: z
            .boolean()
            .describe('True when the same request had already created it'),
          dryRun: z.boolean(),
          request: requestSchema(z).optional(),
        }),
    },
    action: async ({ input, credentials }) => {
      const result = await creation.create(
        {
          ...input,
          promise: await promiseNameOf(clusters, input.cluster, input.promise),
        },
        {
          credentials,
          adoptExisting: true,
          caller: await deps.callers?.forCredentials(credentials),
        },
      );
      const { request } = result;
      return {
        output: {
          resource: request
            ? pendingSummary(result.resolved, request)
            : resourceSummary(result.resolved),
          adopted: result.adopted,
          dryRun: result.dryRun,
          ...(request ? { request } : {}),
        },
      };
    },
  });

  /** A request as the actions answer it (the ledger's own fields stay inside). */
  const requestOutput = ({ entityUid: _uid, ...view }: RecordedRequest) => view;

  /**
   * wait-for-resource with a `requestId`: the request must be one the caller may follow (else the
   * answer of a Resource that is not there), admitted as any wait, followed until the platform
   * applies it, then the Resource waited on for what is left of the same timeout.
   */
  const waitForRequest = async (
    input: Parameters<typeof reachEntity>[0] & {
      requestId: string;
      waitFor: string;
      timeoutSeconds?: number;
    },
    credentials: Parameters<typeof reachEntity>[1],
    logger: LoggerService,
  ) => {
    const requestId = checkRequestId(input.requestId);
    const { entity, address, decided } = await reachEntity(input, credentials);
    const request = deps.requests
      ? await followableRequest(deps.requests, requestId, entity, credentials)
      : undefined;
    // Unknown, or not the caller's to follow: the same answer as a Resource that is not there.
    if (!request || !deps.requests) throw notLinked(entity, address);
    if (!sameTarget(request, address)) {
      throw new InputError(
        `requestId: request ${requestId} is for ${describeTarget(
          request,
        )}, not ${describeTarget(address)}`,
      );
    }
    if (request.operation === 'delete') {
      throw new InputError(
        `requestId: request ${requestId} deletes ${describeTarget(
          request,
        )}; wait-for-resource follows a create or an update`,
      );
    }
    // Admitted first, as the scaffolder's wait: the one slot is held while the platform syncs.
    const ticket = await waits
      .begin({
        credentials,
        cluster: address.cluster,
        promise: address.promise,
        timeoutSeconds: input.timeoutSeconds,
        defaultTimeoutSeconds: DEFAULT_WAIT_SECONDS,
      })
      .catch(error => {
        throw asHttpError(error);
      });
    try {
      const started = Date.now();
      const timeoutMs = ticket.timeoutSeconds * 1000;
      logger.info(
        `Waiting for the platform to apply request ${requestId}: ${describeTarget(
          address,
        )} (at most ${ticket.timeoutSeconds}s)`,
      );
      const followed = await untilRequestSettled({
        clusters,
        following: deps.requests,
        request,
        timeoutMs,
      });
      // Closed, superseded, or still open at the timeout: where it stands is the answer.
      if (followed.state !== 'applied') {
        return { output: { request: requestOutput(followed) } };
      }
      // What is left of the same timeout and slot, as the scaffolder's wait.
      const rest = ticketAfterRequest({
        clusters,
        ticket,
        startedAt: started,
        requestId,
      });
      const resource = await reader.resourceOf(
        entity,
        address,
        credentials,
        decided,
      );
      const { resource: done, condition } = await rest
        .wait({ resource, waitFor: input.waitFor })
        .catch(error => {
          throw asHttpError(error);
        });
      return {
        output: {
          resource: resourceSummary(done),
          condition: conditionOutput(condition),
          request: requestOutput(followed),
        },
      };
    } finally {
      ticket.release();
    }
  };

  actionsRegistry.register({
    name: 'wait-for-resource',
    title: 'Wait for a Kratix Resource',
    description:
      "Waits until a Kratix Resource's workflow completes (or a named condition becomes True) and returns its status; fails with the condition's type, reason and message when the workflow fails or the time runs out. The caller must be allowed to read the Resource. With `requestId` (the `request.id` create-resource answers on a cluster that takes requests through Git), it first waits, within the same timeout, for the platform to apply that request, then as above; when the request was closed (its pull request closed unmerged, or its file removed from the branch), superseded by a later one, or is still pending when the time runs out, the answer is the `request` alone: its state, message and commit or pull-request link.",
    attributes: { readOnly: true, idempotent: true },
    schema: {
      input: z =>
        z.object({
          entityRef: entityRefInput(z),
          ...resourceAddressInput(z),
          waitFor: z
            .string()
            .default('workflow')
            .describe(
              '`workflow` (ConfigureWorkflowCompleted, or PipelineCompleted on older Kratix) or a condition type',
            ),
          timeoutSeconds: z
            .number()
            .optional()
            .describe(
              `Give up after this many seconds (default ${Math.min(
                DEFAULT_WAIT_SECONDS,
                waits.limits.maxSeconds,
              )}, at most ${waits.limits.maxSeconds})`,
            ),
          requestId: z
            .string()
            .optional()
            .describe(
              "A request delivered through Git (create-resource's `request.id`), which the caller asked for or whose entity they own: first wait for the platform to apply it",
            ),
        }),
      output: z =>
        z.object({
          resource: resourceSummarySchema(z)
            .optional()
            .describe('The Resource; absent when a request was not applied'),
          condition: z
            .object({
              type: z.string(),
              status: z.string(),
              reason: z.string().optional(),
              message: z.string().optional(),
            })
            .optional(),
          request: requestSchema(z)
            .optional()
            .describe(
              'The request followed (with `requestId`): `applied`, or why the wait ended without it (`closed`, `superseded`, or still `pending`/`stale` at the timeout)',
            ),
        }),
    },
    action: async ({ input, credentials, logger }) => {
      // A bad timeout is refused before anything is read.
      waits.timeoutSeconds(input.timeoutSeconds, DEFAULT_WAIT_SECONDS);
      if (input.requestId !== undefined) {
        return waitForRequest(
          { ...input, requestId: input.requestId },
          credentials,
          logger,
        );
      }
      const resource = await readable(input, credentials);
      // Admitted or refused at once: beyond the user's cap, or on a Promise that is not Available.
      const ticket = await waits
        .begin({
          credentials,
          cluster: resource.kind.cluster,
          promise: resource.kind.promise,
          timeoutSeconds: input.timeoutSeconds,
          defaultTimeoutSeconds: DEFAULT_WAIT_SECONDS,
        })
        .catch(error => {
          throw asHttpError(error);
        });
      const { resource: done, condition } = await ticket
        .wait({ resource, waitFor: input.waitFor })
        .catch(error => {
          throw asHttpError(error);
        })
        .finally(() => ticket.release());
      return {
        output: {
          resource: resourceSummary(done),
          condition: conditionOutput(condition),
        },
      };
    },
  });
}

/** The condition a wait ended on, as the actions answer it. */
function conditionOutput(condition: {
  type: string;
  status: string;
  reason?: string;
  message?: string;
}) {
  return {
    type: condition.type,
    status: condition.status,
    reason: condition.reason,
    message: condition.message,
  };
}

/**
 * A wait that ends without the condition as the error the actions router answers with a status and
 * the message (an unknown error would be a bare 500, and the MCP plugin passes on only Backstage's
 * own error names): a failed or deleted Resource, or one whose Promise is not Available, conflicts
 * with the wait (409); a timeout means "not yet", and the per-user cap "not now" (503).
 */
function asHttpError(error: unknown): unknown {
  if (!(error instanceof KratixWaitError)) return error;
  return error.reason === 'failed' ||
    error.reason === 'deleted' ||
    error.reason === 'unavailable'
    ? new ConflictError(error.message)
    : new ServiceUnavailableError(error.message);
}
