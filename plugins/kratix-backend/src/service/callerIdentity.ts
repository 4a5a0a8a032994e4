/*
 * Who the platform sees for a request (issue 26). kratixCallerServiceRef (kratix-node) builds the
 * KratixCaller the same way for the routes, the MCP actions and the scaffolder actions; this adds
 * what only a request has: the user's ID tokens for `oidc` clusters, which the frontend attaches as
 * `x-kratix-id-token-<provider>` headers (the backend never keeps them: they live as long as the
 * request). Service principals never impersonate: their caller is undefined, whatever they send.
 */
import type { BackstageCredentials } from '@backstage/backend-plugin-api';
import type {
  KratixCaller,
  KratixCallerService,
} from '@kratix-backstage/plugin-kratix-node';
import type { Request } from 'express';

/** A request header carrying the user's ID token from one Backstage auth provider. */
export const ID_TOKEN_HEADER_PREFIX = 'x-kratix-id-token-';

/** An ID token is a JWT of a few KiB; anything far bigger is not one. */
const MAX_ID_TOKEN_LENGTH = 16 * 1024;

/** The ID tokens a request carries, by provider id (lower case, as HTTP header names arrive). */
export function idTokensOf(
  req: Pick<Request, 'headers'> | undefined,
): Record<string, string> | undefined {
  if (!req) return undefined;
  const tokens: Record<string, string> = {};
  for (const [name, value] of Object.entries(req.headers)) {
    if (!name.startsWith(ID_TOKEN_HEADER_PREFIX)) continue;
    const provider = name.slice(ID_TOKEN_HEADER_PREFIX.length);
    const raw = Array.isArray(value) ? value[0] : value;
    // The token itself; a `Bearer ` prefix some clients add is dropped.
    const token = raw?.trim().replace(/^Bearer\s+/i, '');
    if (provider && token && token.length <= MAX_ID_TOKEN_LENGTH) {
      tokens[provider] = token;
    }
  }
  return Object.keys(tokens).length > 0 ? tokens : undefined;
}

/** The caller a request's writes run as: its user, with the ID tokens the request carried. */
export function callerOfRequest(
  callers: KratixCallerService,
  credentials: BackstageCredentials,
  req?: Pick<Request, 'headers'>,
): Promise<KratixCaller | undefined> {
  return callers.forCredentials(credentials, { idTokens: idTokensOf(req) });
}

/**
 * For code that has a user but no request (the notifier): the caller for a user entity ref, with
 * its ownership refs from the catalog's memberOf relations (read with the plugin's own
 * credentials), to ask `clusters.userMayGet(resource, caller)` per recipient. Undefined when no
 * cluster acts as each user (then every cluster lets Backstage's permissions decide alone).
 */
export function createCallerForUserRef(
  callers: KratixCallerService,
): (userEntityRef: string) => Promise<KratixCaller | undefined> {
  return userEntityRef => callers.forUserRef(userEntityRef);
}
