import { ResponseError } from '@backstage/errors';

/** What the backend said (`{error: {message}}`), without the client's "Request failed with …" prefix. */
export function errorMessage(error: Error): string {
  if (ResponseError.is(error) && error.body?.error?.message) {
    return error.body.error.message;
  }
  return error.message;
}
