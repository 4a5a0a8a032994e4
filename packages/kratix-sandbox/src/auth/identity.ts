/*
 * Who is calling: the user an authenticator makes of a request's credentials, as kube-apiserver's
 * authenticators do (user.Info). The sandbox's own bearer token is `sandbox-admin` in
 * `system:masters`; more authenticators (static tokens, OIDC) are tried in order after it.
 */
import { timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

/** @public */
export interface UserInfo {
  username: string;
  /** Always includes `system:authenticated`. */
  groups: string[];
  uid?: string;
  extra?: Record<string, string[]>;
}

/**
 * Undefined: this authenticator does not recognise the request's credentials (try the next).
 *
 * @public
 */
export type Authenticator = (
  req: IncomingMessage,
) => Promise<UserInfo | undefined>;

/**
 * Thrown by an authenticator that recognised the credentials but rejects them (expired, bad
 * audience). The API server answers 401 with this error's message as the Status message.
 *
 * @public
 */
export class AuthenticationRejected extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'AuthenticationRejected';
  }
}

export const ADMIN_USERNAME = 'sandbox-admin';
export const MASTERS_GROUP = 'system:masters';
export const AUTHENTICATED_GROUP = 'system:authenticated';

/** The request's `Authorization: Bearer <token>`, if it has one. */
export function bearerToken(req: IncomingMessage): string | undefined {
  const header = req.headers.authorization ?? '';
  const match = /^Bearer\s+(.+)$/i.exec(header);
  const token = match?.[1].trim();
  return token || undefined;
}

/** Constant-time comparison, so a wrong token's timing says nothing about the right one. */
export function sameToken(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** Adds `system:authenticated` as kube-apiserver does for every authenticated user. */
export function withAuthenticatedGroup(groups: readonly string[]): string[] {
  return groups.includes(AUTHENTICATED_GROUP)
    ? [...groups]
    : [...groups, AUTHENTICATED_GROUP];
}

/** The sandbox's admin bearer token: `sandbox-admin` in `system:masters` (RBAC never limits it). */
export function adminTokenAuthenticator(token: string): Authenticator {
  return async req => {
    const given = bearerToken(req);
    if (given === undefined || !sameToken(given, token)) return undefined;
    return {
      username: ADMIN_USERNAME,
      groups: [MASTERS_GROUP, AUTHENTICATED_GROUP],
    };
  };
}

/** @public */
export interface StaticTokenUser {
  token: string;
  username: string;
  groups?: string[];
  uid?: string;
}

/** Fixed bearer tokens for named users, like kube-apiserver's --token-auth-file. */
export function staticTokenAuthenticator(
  users: readonly StaticTokenUser[],
): Authenticator {
  return async req => {
    const given = bearerToken(req);
    if (given === undefined) return undefined;
    const user = users.find(u => sameToken(given, u.token));
    if (!user) return undefined;
    return {
      username: user.username,
      groups: withAuthenticatedGroup(user.groups ?? []),
      ...(user.uid ? { uid: user.uid } : {}),
    };
  };
}

/** The first authenticator that recognises the request decides; undefined when none does. */
export async function authenticate(
  req: IncomingMessage,
  authenticators: readonly Authenticator[],
): Promise<UserInfo | undefined> {
  for (const authenticator of authenticators) {
    const user = await authenticator(req);
    if (user) return user;
  }
  return undefined;
}
