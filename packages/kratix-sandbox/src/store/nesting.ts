/*
 * A bound on how deeply an object may nest. Kubernetes' JSON decoder stops at 10,000 levels; the
 * sandbox's validation, pruning and copying recurse, so a few thousand levels would overflow the
 * stack and answer as a 5xx. Nothing a Promise describes needs more than a handful, so the sandbox
 * refuses objects nested deeper than this with a 400 naming the field, before anything else runs.
 */
import { KubeApiError } from './errors';

/** Containers (objects and arrays) one object may nest, the object itself included. */
export const MAX_NESTING_DEPTH = 100;

/** Shown of a too-deep field's path before it is cut short. */
const SHOWN_SEGMENTS = 8;

interface Frame {
  value: unknown;
  depth: number;
  key?: string;
  parent?: Frame;
}

/** The path of the first container nested deeper than `max`, or undefined. Iterative: no recursion. */
export function tooDeep(
  value: unknown,
  max = MAX_NESTING_DEPTH,
): string[] | undefined {
  const stack: Frame[] = [{ value, depth: 1 }];
  while (stack.length > 0) {
    const frame = stack.pop()!;
    if (frame.value === null || typeof frame.value !== 'object') continue;
    if (frame.depth > max) {
      const path: string[] = [];
      for (let f: Frame | undefined = frame; f?.key !== undefined; f = f.parent)
        path.push(f.key);
      return path.reverse();
    }
    const entries = Array.isArray(frame.value)
      ? frame.value.map((v, i) => [String(i), v] as const)
      : Object.entries(frame.value as Record<string, unknown>);
    for (const [key, child] of entries) {
      if (child !== null && typeof child === 'object')
        stack.push({
          value: child,
          depth: frame.depth + 1,
          key,
          parent: frame,
        });
    }
  }
  return undefined;
}

/** Throws a 400 naming the field when `value` nests deeper than MAX_NESTING_DEPTH. */
export function checkNestingDepth(value: unknown): void {
  const path = tooDeep(value);
  if (!path) return;
  const shown = path.slice(0, SHOWN_SEGMENTS).join('.');
  const field = path.length > SHOWN_SEGMENTS ? `${shown}…` : shown;
  throw new KubeApiError(
    400,
    'BadRequest',
    `${field}: object nesting depth exceeds ${MAX_NESTING_DEPTH}`,
    {
      causes: [
        {
          reason: 'FieldValueInvalid',
          field,
          message: `nesting depth exceeds ${MAX_NESTING_DEPTH}`,
        },
      ],
    },
  );
}
