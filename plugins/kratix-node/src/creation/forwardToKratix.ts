/*
 * A Git-delivered create made outside the Kratix plugin (from a scaffolder task) is sent to the
 * Kratix plugin's own POST /resources on behalf of the user, so it is decided, delivered and
 * recorded in one place: the Kratix plugin's request ledger. Its answer, error or not, is passed on
 * with the same status and message.
 */
import type {
  AuthService,
  DiscoveryService,
} from '@backstage/backend-plugin-api';
import {
  ConflictError,
  InputError,
  NotAllowedError,
  NotFoundError,
  ResponseError,
} from '@backstage/errors';
import type { CreateResourceResponse } from '@kratix-backstage/plugin-kratix-common';
import type { CreateContext } from './ResourceCreation';

const KNOWN: Record<string, new (message: string) => Error> = {
  InputError,
  ConflictError,
  NotAllowedError,
  NotFoundError,
};

export function forwardToKratix(deps: {
  discovery: DiscoveryService;
  auth: AuthService;
}) {
  return async (
    input: unknown,
    context: CreateContext,
  ): Promise<CreateResourceResponse> => {
    const [baseUrl, { token }] = await Promise.all([
      deps.discovery.getBaseUrl('kratix'),
      deps.auth.getPluginRequestToken({
        onBehalfOf: context.credentials,
        targetPluginId: 'kratix',
      }),
    ]);
    const response = await fetch(`${baseUrl}/resources`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        authorization: `Bearer ${token}`,
      },
      body: JSON.stringify(input),
    });
    if (!response.ok) {
      const error = await ResponseError.fromResponse(response);
      const Known = KNOWN[error.body.error.name];
      // The Kratix plugin's answer, as the same kind of error (a 409 stays a 409 for the step).
      if (Known) throw new Known(error.body.error.message);
      throw Object.assign(new Error(error.body.error.message), {
        statusCode: response.status,
      });
    }
    return (await response.json()) as CreateResourceResponse;
  };
}
