/*
 * kratix:resource:create — requests a Kratix Resource as the user who runs the template (never as
 * the scaffolder), through the shared create flow (authorization on the target entity, bounds,
 * schema, audit), then waits on the cluster watch until its workflow completes. A re-run of the step
 * adopts the Resource it created before; a dry run validates and reports without creating.
 * The wait is admitted by the shared wait service before anything is created (timeout within
 * kratix.waits.maxSeconds, a free slot of the user's, an Available Promise), and the log and output
 * carry the Resource's status only when the user may read it. On a cluster that acts as each user
 * (auth.type impersonate or oidc) the create runs as the user (kratixCallerServiceRef builds the
 * caller as the Kratix routes do; a task carries no ID token, so an `oidc` cluster answers 401
 * asking to sign in), and the cluster must let them get the Resource for its status to show.
 *
 * On a cluster (or Promise) whose requests go through Git (`kratix.clusters[].delivery`), the
 * create is a commit or a pull request (the Kratix plugin delivers it and keeps it in its ledger):
 * the step outputs the request (id, state, commit, pull request, repository, path). It waits only
 * when `waitFor` is set (other than `none`): first, within the same timeout, for the platform to
 * apply it (the Resource carrying its request id appears), then for its workflow as for a direct
 * create. Without `waitFor` it ends at once with the pending request (a review may take days).
 */
import type {
  KratixCallerService,
  KratixResourceCreationService,
  KratixWaitService,
  KratixWaitTicket,
} from '@kratix-backstage/plugin-kratix-node';
import type { PermissionsService } from '@backstage/backend-plugin-api';
import { stringifyKratixPermissionRef } from '@kratix-backstage/plugin-kratix-common';
import {
  promiseNameOf,
  type KratixClusterService,
} from '@kratix-backstage/plugin-kratix-node';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import {
  clusterMayGet,
  mayRead,
  mayReadLogs,
  untilCached,
} from './readDecision';
import {
  DEFAULT_NAMESPACE,
  DEFAULT_TIMEOUT_SECONDS,
  requestOutputFields,
  resourceOutput,
  targetInput,
  waitInput,
} from './schemas';
import { waitForApplied } from './requestWait';
import {
  hiddenStepOutput,
  pendingStepOutput,
  requestOutput,
  stepOutput,
} from './stepOutput';
import { waitAndReport } from './waitAndReport';

/** How long a new Resource may take to reach the watch-fed cache before its status counts as unreadable. */
const CACHE_WAIT_MS = 30_000;

/**
 * The id of the create action.
 *
 * @public
 */
export const CREATE_ACTION_ID = 'kratix:resource:create';

/**
 * What the Kratix actions need.
 *
 * @public
 */
export interface KratixActionDeps {
  creation: KratixResourceCreationService;
  clusters: KratixClusterService;
  /** Decides `kratix.resource.read` for the task's initiator: what the task log may hold. */
  permissions: PermissionsService;
  /** Admits waits (kratixWaitServiceRef): the longest timeout, waits per user, Available Promises. */
  waits: KratixWaitService;
  /** app.baseUrl, for links to the entity's Kratix tab. */
  appBaseUrl: string;
  /**
   * Who the cluster sees (kratixCallerServiceRef): needed where a cluster acts as each user; the
   * create flow builds the caller itself when absent.
   */
  callers?: KratixCallerService;
}

/**
 * `kratix:resource:create`, for backends that register actions themselves.
 *
 * @public
 */
export function createKratixResourceAction(deps: KratixActionDeps) {
  const { creation, clusters, permissions, waits, appBaseUrl } = deps;
  return createTemplateAction({
    id: CREATE_ACTION_ID,
    description:
      'Requests a Kratix Resource from a Promise for a catalog entity, as the user running the template, and waits for its workflow to complete',
    supportsDryRun: true,
    examples: [
      {
        description:
          'Request an Elastic Cloud instance for the chosen entity and wait for it',
        example: [
          'steps:',
          '  - id: request',
          '    name: Request Elastic Cloud',
          '    action: kratix:resource:create',
          '    input:',
          '      promise: elastic-cloud',
          '      name: ${{ parameters.name }}',
          '      namespace: default',
          '      entityRef: ${{ parameters.entity }}',
          '      spec:',
          '        enableDataCollection: ${{ parameters.enableDataCollection }}',
          'output:',
          '  text:',
          '    - title: Status',
          '      content: ${{ steps.request.output.message }}',
        ].join('\n'),
      },
    ],
    schema: {
      input: {
        ...targetInput,
        spec: z =>
          z
            .record(z.unknown())
            .optional()
            .describe(
              "The Resource's spec, checked against the Promise's openAPIV3Schema",
            ),
        entityRef: z =>
          z
            .string()
            .optional()
            .describe(
              'The catalog entity the Resource is for (e.g. `component:default/checkout-service`); the user must be allowed to create Resources for it. Omitted: a Resource for no entity (platform team only)',
            ),
        ...waitInput(waits.limits),
      },
      output: {
        ...resourceOutput,
        adopted: z =>
          z
            .boolean()
            .describe(
              'True when a re-run found the Resource it had created before',
            ),
        dryRun: z => z.boolean().describe('True when nothing was created'),
        ...requestOutputFields,
      },
    },
    async handler(ctx) {
      const { input } = ctx;
      const credentials = await ctx.getInitiatorCredentials();
      const promise = await promiseNameOf(
        clusters,
        input.cluster,
        input.promise,
      );
      const dryRun = ctx.isDryRun ?? false;
      const cluster = input.cluster ?? clusters.defaultCluster() ?? '';
      // Through Git, the platform applies a request after a sync or a review that may take days:
      // unless the template asks to wait, the step ends with the pending request, holding no worker.
      const throughGit =
        clusters.clusters().some(c => c.name === cluster) &&
        clusters.deliveryFor(cluster, promise) !== undefined;
      const waitFor = input.waitFor ?? (throughGit ? 'none' : 'workflow');
      let ticket: KratixWaitTicket | undefined;
      if (dryRun || waitFor === 'none') {
        // Not waiting now, but a bad timeout is still the template's mistake.
        waits.timeoutSeconds(input.timeoutSeconds, DEFAULT_TIMEOUT_SECONDS);
      } else {
        // Admitted before anything is created: a refused wait changes nothing.
        ticket = await waits.begin({
          credentials,
          cluster,
          promise,
          timeoutSeconds: input.timeoutSeconds,
          defaultTimeoutSeconds: DEFAULT_TIMEOUT_SECONDS,
        });
      }
      try {
        const caller = await deps.callers?.forCredentials(credentials);
        const result = await creation.create(
          {
            cluster: input.cluster,
            promise,
            namespace: input.namespace ?? DEFAULT_NAMESPACE,
            name: input.name,
            spec: input.spec ?? {},
            entityRef: input.entityRef,
            dryRun,
          },
          { credentials, adoptExisting: true, caller },
        );
        const { resource } = result;
        const what = `${resource.promise} ${resource.namespace}/${resource.name} on cluster ${resource.cluster}`;
        const forWhom = resource.entityRef ? ` for ${resource.entityRef}` : '';
        const delivered = result.request;
        if (delivered) {
          ctx.logger.info(
            `Requested ${resource.kind} ${what}${forWhom} through Git: ${delivered.message}`,
          );
          ctx.logger.info(
            delivered.pullRequestUrl
              ? `Pull request: ${delivered.pullRequestUrl}`
              : `Commit ${delivered.commitSha} on ${delivered.branch} of ${
                  delivered.repository
                }${delivered.commitUrl ? `: ${delivered.commitUrl}` : ''}`,
          );
        } else if (dryRun && result.adopted) {
          ctx.logger.info(
            `Dry run: ${what} already exists${forWhom} with the same spec; a run would adopt it`,
          );
        } else if (dryRun) {
          ctx.logger.info(
            `Dry run: would create ${
              resource.kind
            } ${what}${forWhom} with spec ${JSON.stringify(
              result.object.spec ?? {},
            )}; nothing was created`,
          );
        } else if (result.adopted) {
          ctx.logger.info(
            `${what} already exists${forWhom} with the same spec: adopted (re-run), not created again`,
          );
        } else {
          ctx.logger.info(`Created ${resource.kind} ${what}${forWhom}`);
        }

        const ref = stringifyKratixPermissionRef(resource);
        if (delivered && !ticket) {
          // Not on the cluster yet (waitFor none): the output is the request, and where it will show.
          const output = pendingStepOutput(delivered, resource, appBaseUrl);
          for (const [key, value] of Object.entries(output)) {
            ctx.output(key as keyof typeof output, value as never);
          }
          ctx.output('adopted', false);
          ctx.output('dryRun', dryRun);
          return;
        }
        let resolved = result.resolved;
        let waitTicket = ticket;
        if (delivered && ticket) {
          const applied = await waitForApplied(
            ctx,
            clusters,
            ticket,
            resource,
            delivered.id,
          );
          // The user's own request: that the platform applied it is theirs to know.
          ctx.logger.info(applied.appliedLine);
          resolved = applied.resource;
          waitTicket = applied.rest;
        }

        // A dry run that adopts nothing reports only what the user sent; anything that exists on
        // the cluster is shown only to someone who may read it.
        const readable =
          (dryRun && !result.adopted) ||
          ((await untilCached(clusters, resolved, CACHE_WAIT_MS)) &&
            (await mayRead(permissions, credentials, ref)) &&
            (await clusterMayGet(clusters, resolved, caller)));
        if (!readable) {
          ctx.logger.info(
            `You may not read ${ref} (kratix.resource.read): its status stays out of this task's log and output`,
          );
        }
        const final = waitTicket
          ? await waitAndReport(ctx, waitTicket, resolved, {
              waitFor,
              readable,
              failureLogs: {
                clusters,
                mayReadLogs: () => mayReadLogs(permissions, credentials, ref),
              },
            })
          : resolved;
        const shown = readable
          ? stepOutput(final, appBaseUrl)
          : hiddenStepOutput(ref, appBaseUrl, resource.entityRef);
        const output = {
          ...shown,
          // Here a delivered request has been seen applied.
          ...(delivered
            ? requestOutput(delivered, 'applied', shown.entityUrl)
            : {}),
        };
        for (const [key, value] of Object.entries(output)) {
          ctx.output(key as keyof typeof output, value as never);
        }
        ctx.output('adopted', result.adopted);
        ctx.output('dryRun', dryRun);
      } finally {
        ticket?.release();
      }
    },
  });
}
