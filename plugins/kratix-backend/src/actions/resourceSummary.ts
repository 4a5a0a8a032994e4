/*
 * A Resource as the MCP actions return it: what an assistant needs to tell the user where their
 * request stands (the message, the state, the extra status the workflow wrote, the conditions).
 */
import { stringifyKratixPermissionRef } from '@kratix-backstage/plugin-kratix-common';
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
    state: z.string().describe('ready, in-progress, failed, paused or unknown'),
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
