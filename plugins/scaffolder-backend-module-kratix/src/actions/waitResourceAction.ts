/*
 * kratix:resource:wait — the `kubectl wait` of templates: waits for a condition on an existing
 * Resource, with the same failure rules as kratix:resource:create. The user running the template
 * must be allowed to read the Resource (`kratix.resource.read`, decided on the Resource by the
 * permission framework with the Kratix plugin's rules, as search and the read path decide it), so
 * the task log holds nothing they could not read anyway. The wait is admitted by the shared wait
 * service (timeout within kratix.waits.maxSeconds, a free slot of the user's, an Available Promise).
 * On a cluster that acts as each user the cluster must also let them get it; one it hides reads
 * exactly as a missing one. With `requestId` (a request delivered through Git, from
 * kratix:resource:create or kratix:resource:manifest), it first waits for the platform to apply
 * that request (the Resource carrying its id appears), within the same timeout, then as above.
 */
import { NotAllowedError } from '@backstage/errors';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import { stringifyKratixPermissionRef } from '@kratix-backstage/plugin-kratix-common';
import {
  promiseNameOf,
  refNotFound,
  type ResolvedResource,
} from '@kratix-backstage/plugin-kratix-node';
import type { KratixActionDeps } from './createResourceAction';
import { clusterMayGet, mayRead, mayReadLogs } from './readDecision';
import { waitForApplied } from './requestWait';
import {
  DEFAULT_NAMESPACE,
  DEFAULT_TIMEOUT_SECONDS,
  resourceOutput,
  targetInput,
  waitInput,
} from './schemas';
import { stepOutput } from './stepOutput';
import { waitAndReport } from './waitAndReport';

/**
 * The id of the wait action.
 *
 * @public
 */
export const WAIT_ACTION_ID = 'kratix:resource:wait';

/**
 * `kratix:resource:wait`, for backends that register actions themselves.
 *
 * @public
 */
export function createKratixWaitAction(
  deps: Omit<KratixActionDeps, 'creation'>,
) {
  const { clusters, permissions, waits, appBaseUrl } = deps;
  return createTemplateAction({
    id: WAIT_ACTION_ID,
    description:
      'Waits for a condition on an existing Kratix Resource (by default its workflow completion); fails with the condition when the workflow fails or the time runs out',
    examples: [
      {
        description:
          'Wait for a Redis instance requested earlier to become Reconciled',
        example: [
          'steps:',
          '  - id: wait',
          '    action: kratix:resource:wait',
          '    input:',
          '      promise: redis',
          '      name: my-cache',
          '      waitFor: Reconciled',
          '      timeoutSeconds: 300',
        ].join('\n'),
      },
      {
        description:
          'Wait for a request committed to Git earlier to be applied by the platform, then for its workflow',
        example: [
          'steps:',
          '  - id: wait',
          '    action: kratix:resource:wait',
          '    input:',
          '      promise: redis',
          '      name: my-cache',
          '      requestId: ${{ steps.request.output.requestId }}',
        ].join('\n'),
      },
    ],
    schema: {
      input: {
        ...targetInput,
        ...waitInput(waits.limits),
        requestId: z =>
          z
            .string()
            .min(1)
            .optional()
            .describe(
              'A request delivered through Git (the `requestId` output of kratix:resource:create or kratix:resource:manifest): first wait, within the same timeout, for the platform to apply it (the Resource carrying it appears), then for `waitFor` (`none`: only for the request to be applied)',
            ),
      },
      output: resourceOutput,
    },
    async handler(ctx) {
      const { input } = ctx;
      const credentials = await ctx.getInitiatorCredentials();
      const cluster = input.cluster ?? clusters.defaultCluster() ?? '';
      const namespace = input.namespace ?? DEFAULT_NAMESPACE;
      const promise = await promiseNameOf(clusters, cluster, input.promise);
      const ref = stringifyKratixPermissionRef({
        cluster,
        promise,
        namespace,
        name: input.name,
      });
      // Decided before looking the Resource up, so "missing" and "not yours" read the same.
      if (!(await mayRead(permissions, credentials, ref))) {
        throw new NotAllowedError(
          `You may not read the Kratix Resource ${ref}`,
        );
      }
      const caller = await deps.callers?.forCredentials(credentials);
      const target = { cluster, promise, namespace, name: input.name };
      const visibleOrMissing = async (resource: ResolvedResource) => {
        if (!(await clusterMayGet(clusters, resource, caller))) {
          // As resolveResource says of a missing one: nothing to learn from the difference.
          throw refNotFound(
            'not-found',
            `No ${resource.kind.kind} "${namespace}/${input.name}" on cluster ${resource.kind.cluster}`,
          );
        }
        return resource;
      };
      const report = {
        waitFor: input.waitFor ?? 'workflow',
        readable: true,
        failureLogs: {
          clusters,
          mayReadLogs: () => mayReadLogs(permissions, credentials, ref),
        },
      };
      const begin = () =>
        waits.begin({
          credentials,
          cluster,
          promise,
          timeoutSeconds: input.timeoutSeconds,
          defaultTimeoutSeconds: DEFAULT_TIMEOUT_SECONDS,
        });

      let final: ResolvedResource;
      if (input.requestId) {
        // The Resource may not exist yet: admitted first, the slot is held while the platform
        // syncs, and the workflow wait gets what is left of the timeout.
        const ticket = await begin();
        try {
          const applied = await waitForApplied(
            ctx,
            clusters,
            ticket,
            target,
            input.requestId,
          );
          final = await visibleOrMissing(applied.resource);
          ctx.logger.info(applied.appliedLine);
          if (input.waitFor !== 'none') {
            final = await waitAndReport(ctx, applied.rest, final, report);
          }
        } finally {
          ticket.release();
        }
      } else {
        final = await visibleOrMissing(await clusters.resolveResource(target));
        if (input.waitFor === 'none') {
          waits.timeoutSeconds(input.timeoutSeconds, DEFAULT_TIMEOUT_SECONDS);
        } else {
          const ticket = await begin();
          try {
            ctx.logger.info(
              `Waiting for ${ref} (at most ${ticket.timeoutSeconds}s)`,
            );
            final = await waitAndReport(ctx, ticket, final, report);
          } finally {
            ticket.release();
          }
        }
      }
      const output = stepOutput(final, appBaseUrl);
      for (const [key, value] of Object.entries(output)) {
        ctx.output(key as keyof typeof output, value as never);
      }
    },
  });
}
