/*
 * The request shapes, defined once: the backend route, the scaffolder actions and the MCP actions
 * parse their input with these, so a bad field gets the same message everywhere.
 */
import { z } from 'zod';

/** @public */
export const createResourceRequestSchema = z.object({
  cluster: z.string().min(1).optional(),
  promise: z.string().min(1),
  namespace: z.string().min(1),
  name: z.string().min(1),
  spec: z.record(z.string(), z.unknown()).default({}),
  entityRef: z.string().min(1).optional(),
  dryRun: z.boolean().optional(),
});

/** @public */
export type ParsedCreateResourceRequest = z.infer<
  typeof createResourceRequestSchema
>;

/**
 * The first problem with a parsed value, as `<field>: <message>`.
 *
 * @public
 */
export function describeFirstIssue(error: z.ZodError): string {
  const issue = error.issues[0];
  const field = issue.path.join('.') || 'body';
  return `${field}: ${issue.message}`;
}
