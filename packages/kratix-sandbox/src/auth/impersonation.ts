/*
 * Impersonation as kube-apiserver's WithImpersonation filter does it: after authentication, the
 * Impersonate-User, Impersonate-Group, Impersonate-Uid and Impersonate-Extra-<key> headers each
 * need the `impersonate` verb on users (serviceaccounts for `system:serviceaccount:<ns>:<name>`),
 * groups (core group), uids or userextras/<key> (authentication.k8s.io), named by the value; the
 * first one refused is a 403 naming it. Groups, extras or a uid without a user are refused too.
 */
import type { IncomingMessage } from 'node:http';
import type { Attributes } from '../rbac/attributes';
import type { Authorizer } from '../rbac/authorizer';
import { forbiddenError } from '../rbac/forbidden';
import { AUTHENTICATED_GROUP, type UserInfo } from './identity';

const USER_HEADER = 'impersonate-user';
const GROUP_HEADER = 'impersonate-group';
const UID_HEADER = 'impersonate-uid';
const EXTRA_PREFIX = 'impersonate-extra-';
const AUTHENTICATION_V1 = 'authentication.k8s.io/v1';
const ANONYMOUS = 'system:anonymous';
const UNAUTHENTICATED_GROUP = 'system:unauthenticated';

/** One thing asked for (a v1.ObjectReference in the apiserver). */
interface ImpersonationRequest {
  kind: 'User' | 'ServiceAccount' | 'Group' | 'UserExtra' | 'UID';
  namespace: string;
  name: string;
  apiVersion: string;
  fieldPath: string;
}

/** Impersonation headers that cannot be honoured at all: the apiserver answers a plain-text 500. */
export class ImpersonationHeaderError extends Error {}

export interface Impersonation {
  user: UserInfo;
  /** Who asked to act as `user`, when headers asked. */
  impersonator?: UserInfo;
}

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS_SUBDOMAIN =
  /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

/** serviceaccount.SplitUsername: `system:serviceaccount:<namespace>:<name>`. */
function splitServiceAccount(
  username: string,
): { namespace: string; name: string } | undefined {
  const prefix = 'system:serviceaccount:';
  if (!username.startsWith(prefix)) return undefined;
  const parts = username.slice(prefix.length).split(':');
  if (parts.length !== 2) return undefined;
  const [namespace, name] = parts;
  if (namespace.length > 63 || !DNS_LABEL.test(namespace)) return undefined;
  if (name.length > 253 || !DNS_SUBDOMAIN.test(name)) return undefined;
  return { namespace, name };
}

function headerValues(req: IncomingMessage, name: string): string[] {
  // headersDistinct keeps repeated headers apart (group names may hold commas).
  return (req.headersDistinct[name] ?? []).filter(v => v.length > 0);
}

/** url.PathUnescape of the lower-cased header suffix; a malformed one is kept as it is. */
function extraKey(encoded: string): string {
  try {
    return decodeURIComponent(encoded.toLowerCase());
  } catch {
    return encoded.toLowerCase();
  }
}

/** Go's %v of the []v1.ObjectReference, as the apiserver's error prints it. */
function describeRequests(requests: ImpersonationRequest[]): string {
  return `[${requests
    .map(
      r =>
        `{${[
          r.kind,
          r.namespace,
          r.name,
          '',
          r.apiVersion,
          '',
          r.fieldPath,
        ].join(' ')}}`,
    )
    .join(' ')}]`;
}

function buildRequests(req: IncomingMessage): ImpersonationRequest[] {
  const requests: ImpersonationRequest[] = [];
  const base = { namespace: '', apiVersion: '', fieldPath: '' };
  const user = headerValues(req, USER_HEADER)[0];
  if (user) {
    const sa = splitServiceAccount(user);
    requests.push(
      sa
        ? { ...base, kind: 'ServiceAccount', ...sa }
        : { ...base, kind: 'User', name: user },
    );
  }
  const groups = headerValues(req, GROUP_HEADER);
  for (const group of groups)
    requests.push({ ...base, kind: 'Group', name: group });
  let hasExtra = false;
  for (const header of Object.keys(req.headersDistinct)) {
    if (!header.startsWith(EXTRA_PREFIX)) continue;
    hasExtra = true;
    const key = extraKey(header.slice(EXTRA_PREFIX.length));
    for (const value of req.headersDistinct[header] ?? []) {
      requests.push({
        ...base,
        kind: 'UserExtra',
        name: value,
        apiVersion: AUTHENTICATION_V1,
        fieldPath: key,
      });
    }
  }
  const uid = headerValues(req, UID_HEADER)[0];
  if (uid)
    requests.push({
      ...base,
      kind: 'UID',
      name: uid,
      apiVersion: AUTHENTICATION_V1,
    });
  if ((groups.length || hasExtra || uid) && !user) {
    throw new ImpersonationHeaderError(
      `requested ${describeRequests(requests)} without impersonating a user`,
    );
  }
  return requests;
}

/** True when the request carries any impersonation header. */
export function wantsImpersonation(req: IncomingMessage): boolean {
  return Object.keys(req.headersDistinct).some(
    h =>
      h === USER_HEADER ||
      h === GROUP_HEADER ||
      h === UID_HEADER ||
      h.startsWith(EXTRA_PREFIX),
  );
}

/** The `impersonate` check for one request (actingAsAttributes). */
function actingAs(
  requestor: UserInfo,
  request: ImpersonationRequest,
): Attributes {
  const resources: Record<ImpersonationRequest['kind'], string> = {
    User: 'users',
    ServiceAccount: 'serviceaccounts',
    Group: 'groups',
    UserExtra: 'userextras',
    UID: 'uids',
  };
  return {
    user: requestor,
    verb: 'impersonate',
    resourceRequest: true,
    path: '',
    apiGroup: request.apiVersion ? request.apiVersion.split('/')[0] : '',
    apiVersion: request.apiVersion ? request.apiVersion.split('/')[1] : '',
    resource: resources[request.kind],
    subresource: request.kind === 'UserExtra' ? request.fieldPath : '',
    namespace: request.namespace,
    name: request.name,
  };
}

/**
 * The user the request acts as. Throws ImpersonationHeaderError for headers that cannot be honoured
 * and a 403 KubeApiError (via `onDenied`, which sees the refused check first) for an impersonation
 * the caller may not do.
 */
export function impersonate(
  req: IncomingMessage,
  requestor: UserInfo,
  authorizer: Authorizer,
  onDenied?: (attributes: Attributes, reason: string) => void,
): Impersonation {
  const requests = buildRequests(req);
  if (!requests.length) return { user: requestor };
  const groupsSpecified = headerValues(req, GROUP_HEADER).length > 0;
  let username = '';
  let groups: string[] = [];
  const extra: Record<string, string[]> = {};
  let uid = '';
  for (const request of requests) {
    switch (request.kind) {
      case 'ServiceAccount':
        username = `system:serviceaccount:${request.namespace}:${request.name}`;
        // A service account's groups are fixed, unless the caller names groups.
        if (!groupsSpecified)
          groups = [
            'system:serviceaccounts',
            `system:serviceaccounts:${request.namespace}`,
          ];
        break;
      case 'User':
        username = request.name;
        break;
      case 'Group':
        groups.push(request.name);
        break;
      case 'UserExtra':
        (extra[request.fieldPath] ??= []).push(request.name);
        break;
      case 'UID':
        uid = request.name;
        break;
      default:
        break;
    }
    const attributes = actingAs(requestor, request);
    const decision = authorizer.authorize(attributes);
    if (!decision.allowed) {
      onDenied?.(attributes, decision.reason);
      throw forbiddenError(attributes, decision.reason);
    }
  }
  if (username !== ANONYMOUS) {
    // The impersonated user is authenticated unless the caller said otherwise.
    if (
      !groups.includes(AUTHENTICATED_GROUP) &&
      !groups.includes(UNAUTHENTICATED_GROUP)
    )
      groups.push(AUTHENTICATED_GROUP);
  } else if (!groups.includes(UNAUTHENTICATED_GROUP)) {
    groups.push(UNAUTHENTICATED_GROUP);
  }
  return {
    user: {
      username,
      groups,
      ...(uid ? { uid } : {}),
      ...(Object.keys(extra).length ? { extra } : {}),
    },
    impersonator: requestor,
  };
}
