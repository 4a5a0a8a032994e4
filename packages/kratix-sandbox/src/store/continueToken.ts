/*
 * The opaque `continue` token of paginated lists: the resourceVersion of the list's snapshot and
 * the last key returned, base64 JSON like the apiserver's own {"v":"meta.k8s.io/v1","rv":..,"start":..}.
 */
import { badRequest } from './errors';

export interface ContinuePosition {
  rv: number;
  /** `namespace/name` of the last item returned; the next page starts after it. */
  start: string;
}

export function encodeContinue(position: ContinuePosition): string {
  return Buffer.from(
    JSON.stringify({
      v: 'meta.k8s.io/v1',
      rv: position.rv,
      start: position.start,
    }),
  ).toString('base64');
}

export function decodeContinue(token: string): ContinuePosition {
  try {
    const parsed = JSON.parse(Buffer.from(token, 'base64').toString('utf8'));
    if (
      parsed.v === 'meta.k8s.io/v1' &&
      Number.isInteger(parsed.rv) &&
      typeof parsed.start === 'string'
    ) {
      return { rv: parsed.rv, start: parsed.start };
    }
  } catch {
    // fall through to the same error as a well-formed but foreign token
  }
  throw badRequest(`continue key is not valid: ${token}`);
}
