/*
 * A Resource as the MCP actions return it: what an assistant needs to tell the user where their
 * request stands (the message, the state, the extra status the workflow wrote, the conditions).
 * A request delivered through Git that the platform has not applied yet is summarized as `pending`
 * with the request's message, and the request itself (requestSchema) says where it went.
 */
import {
  stringifyKratixPermissionRef,
  type KratixRequestView,
} from '@kratix-backstage/plugin-kratix-common';
import {
  resourceViewOf,
  type ResolvedResource,
} from '@kratix-backstage/plugin-kratix-node';
import type { z as zod } from 'zod/v3';

export function resourceSummary(resolved: ResolvedResource) {
  const view = resourceViewOf(resolved);
  return {
    resourceRef: stringifyKratixPermissionRef(view),
    entityRef: view.entityRef,
    message: view.message,
    state: view.state,
    status: view.extraStatus,
    conditions: view.conditions.map(c => ({
      type: c.type,
      status: c.status,
      reason: c.reason,
      message: c.message,
    })),
  };
}

/**
 * The manifest of a request delivered through Git, not on the cluster yet: `pending`, with the
 * request's message ("Committed abc1234 to main, waiting for the platform to sync").
 */
export function pendingSummary(
  resolved: ResolvedResource,
  request: KratixRequestView,
) {
  return {
    ...resourceSummary(resolved),
    message: request.message,
    state: 'pending',
    status: {},
    conditions: [],
  };
}

export const resourceSummarySchema = (z: typeof zod) =>
  z.object({
    resourceRef: z
      .string()
      .describe('The Resource as `<cluster>:<promise>/<namespace>/<name>`'),
    entityRef: z
      .string()
      .optional()
      .describe('The catalog entity the Resource was created for'),
    message: z.string().describe('status.message, as `kubectl get` shows it'),
    state: z
      .string()
      .describe(
        'ready, in-progress, failed, paused, blocked, deleting or unknown; `pending` for a request delivered through Git that the platform has not applied yet',
      ),
    status: z
      .record(z.unknown())
      .describe(
        'Status keys the workflow wrote besides message and conditions',
      ),
    conditions: z.array(
      z.object({
        type: z.string(),
        status: z.string(),
        reason: z.string().optional(),
        message: z.string().optional(),
      }),
    ),
  });

/** The fields that name one Resource. */
export const resourceAddressInput = (z: typeof zod) => ({
  promise: z
    .string()
    .min(1)
    .describe(
      'The Promise (e.g. `redis`, `elastic-cloud`) or its Resource kind',
    ),
  name: z.string().min(1).describe('Name of the Resource'),
  namespace: z
    .string()
    .default('default')
    .describe('Namespace of the Resource on the platform cluster'),
  cluster: z
    .string()
    .optional()
    .describe('The platform cluster; the first configured when omitted'),
});

/** A request delivered through Git (KratixRequestView), as create-resource returns it. */
export const requestSchema = (z: typeof zod) =>
  z
    .object({
      id: z
        .string()
        .describe(
          "The request id, also the Resource's `kratix.backstage.io/request-id` annotation once applied",
        ),
      operation: z.string().describe('create, update or delete'),
      state: z
        .string()
        .describe(
          '`pending` (delivered, not on the cluster yet), `applied`, `superseded`, `closed` (pull request closed unmerged) or `stale` (not applied in time)',
        ),
      mode: z.string().describe('`gitops` (a commit) or `pull-request`'),
      cluster: z.string(),
      promise: z.string(),
      namespace: z.string(),
      name: z.string(),
      entityRef: z.string().optional(),
      requestedBy: z.string(),
      repository: z.string().describe('The repository committed to'),
      branch: z
        .string()
        .describe(
          "The branch committed to: the synced branch (gitops) or the pull request's",
        ),
      path: z.string().describe("The manifest's path in the repository"),
      commitSha: z.string(),
      commitUrl: z.string().optional().describe('A link to the commit'),
      pullRequestUrl: z.string().optional(),
      pullRequestNumber: z.number().optional(),
      resourceUid: z.string().optional(),
      message: z
        .string()
        .describe(
          'Where it stands, for the user, e.g. "Pull request #12 open, waiting for review"',
        ),
      createdAt: z.string(),
      updatedAt: z.string(),
    })
    .describe(
      'The request delivered through Git, on a cluster that takes requests as commits or pull requests; the Resource appears once the platform applies it',
    );
