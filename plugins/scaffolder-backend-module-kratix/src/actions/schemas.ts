/*
 * The input and output fields both actions share, as zod schemas for createTemplateAction (which
 * turns them into the JSON Schema the template editor shows; the scaffolder validates input
 * against that JSON Schema but applies no defaults, so the handlers do). Fields stay loosely typed here on
 * purpose: the shared create flow checks names, bounds and the Promise's schema, and its errors
 * name the field the same way for the route, the scaffolder and the MCP actions.
 */
import type { KratixWaitLimits } from '@kratix-backstage/plugin-kratix-node';
import type { z as zod } from 'zod/v3';

type Z = typeof zod;

/**
 * A Resource condition as the actions output it. Named, so the action's published type does not
 * depend on the order the compiler happens to print an inferred object's optional keys in.
 *
 * @public
 */
export interface KratixActionCondition {
  type: string;
  status: string;
  reason?: string;
  message?: string;
  lastTransitionTime?: string;
}

/** Well under kratix.waits.maxSeconds (900 by default): a step should not hold a worker for long. */
export const DEFAULT_TIMEOUT_SECONDS = 300;
export const DEFAULT_NAMESPACE = 'default';

export const targetInput = {
  promise: (z: Z) =>
    z
      .string()
      .min(1)
      .describe(
        'The Promise to request from, by name (e.g. `redis`, `elastic-cloud`) or by its Resource kind',
      ),
  name: (z: Z) =>
    z
      .string()
      .describe(
        'Name of the Resource: a lowercase RFC 1123 name of at most 63 characters',
      ),
  namespace: (z: Z) =>
    z
      .string()
      .optional()
      .describe(
        'Namespace of the Resource on the platform cluster, within kratix.creation.allowedNamespaces (default: `default`)',
      ),
  cluster: (z: Z) =>
    z
      .string()
      .optional()
      .describe(
        'The Kratix platform cluster (a name under kratix.clusters); the first configured when omitted',
      ),
};

/** The wait inputs; the timeout's bound is checked by the wait service (kratix.waits.maxSeconds). */
export const waitInput = (limits: KratixWaitLimits) => ({
  waitFor: (z: Z) =>
    z
      .string()
      .optional()
      .describe(
        'What to wait for: omitted or `workflow`, the workflow-completion condition (ConfigureWorkflowCompleted, or PipelineCompleted on Kratix before October 2024, detected per Resource); a condition type that must become True (e.g. `Reconciled`); `none` returns at once. kratix:resource:create through Git delivery: omitted returns at once with the pending request',
      ),
  timeoutSeconds: (z: Z) =>
    z
      .number()
      .optional()
      .describe(
        `Fail the step when the condition is not met after this many seconds (default ${Math.min(
          DEFAULT_TIMEOUT_SECONDS,
          limits.maxSeconds,
        )}, at most ${limits.maxSeconds})`,
      ),
});

export const resourceOutput = {
  resourceRef: (z: Z) =>
    z
      .string()
      .describe('The Resource as `<cluster>:<promise>/<namespace>/<name>`'),
  message: (z: Z) =>
    z.string().describe('`status.message`, what `kubectl get` shows'),
  status: (z: Z) =>
    z
      .record(z.unknown())
      .describe(
        'Every status key the workflow wrote besides message and conditions (e.g. initialLoginDetails)',
      ),
  conditions: (z: Z) =>
    z
      .array(
        z.object({
          type: z.string(),
          status: z.string(),
          reason: z.string().optional(),
          message: z.string().optional(),
          lastTransitionTime: z.string().optional(),
        }),
      )
      .describe(
        'The Resource conditions, workflow completion first',
      ) as zod.ZodType<KratixActionCondition[]>,
  entityUrl: (z: Z) =>
    z
      .string()
      .optional()
      .describe(
        'The Kratix tab of the entity the Resource is for, in this portal, opened on the Resource',
      ),
};

/** What kratix:resource:create outputs besides the Resource when the request went through Git. */
export const requestOutputFields = {
  requestId: (z: Z) =>
    z
      .string()
      .optional()
      .describe(
        "Git delivery: the request id (the Resource's `kratix.backstage.io/request-id`); kratix:resource:wait takes it",
      ),
  requestState: (z: Z) =>
    z
      .string()
      .optional()
      .describe(
        'Git delivery: `pending` (committed, not on the cluster yet; without `waitFor`, or with `none`) or `applied` (the step saw the platform apply it)',
      ),
  commitSha: (z: Z) =>
    z.string().optional().describe('Git delivery: the commit made'),
  commitUrl: (z: Z) =>
    z
      .string()
      .optional()
      .describe('Git delivery: a link to the commit, when the forge has one'),
  pullRequestUrl: (z: Z) =>
    z
      .string()
      .optional()
      .describe('Git delivery in `pull-request` mode: the pull request'),
  repository: (z: Z) =>
    z.string().optional().describe('Git delivery: the repository committed to'),
  branch: (z: Z) =>
    z
      .string()
      .optional()
      .describe(
        "Git delivery: the branch committed to (the synced branch, or the pull request's)",
      ),
  path: (z: Z) =>
    z
      .string()
      .optional()
      .describe("Git delivery: the manifest's path in the repository"),
  requestUrl: (z: Z) =>
    z
      .string()
      .optional()
      .describe(
        "Git delivery: the one link to follow the request, for the template's output.links: the pull request, else the commit, else the entity's Kratix tab",
      ),
};
