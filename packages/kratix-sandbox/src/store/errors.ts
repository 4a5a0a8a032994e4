/*
 * Store failures carry what the API server needs to answer with a Kubernetes `Status` body:
 * HTTP code, StatusReason, message and details.causes, worded as a real apiserver words them.
 */
import type { StatusCause, TypeKey } from './types';

export interface StatusDetails {
  name?: string;
  group?: string;
  kind?: string;
  uid?: string;
  causes?: StatusCause[];
  retryAfterSeconds?: number;
}

export interface Status {
  kind: 'Status';
  apiVersion: 'v1';
  metadata: Record<string, unknown>;
  status: 'Success' | 'Failure';
  message?: string;
  reason?: string;
  details?: StatusDetails;
  code: number;
}

export class KubeApiError extends Error {
  readonly code: number;
  readonly reason: string;
  readonly details?: StatusDetails;

  constructor(
    code: number,
    reason: string,
    message: string,
    details?: StatusDetails,
  ) {
    super(message);
    this.name = 'KubeApiError';
    this.code = code;
    this.reason = reason;
    this.details = details;
  }

  toStatus(): Status {
    return {
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message: this.message,
      reason: this.reason,
      ...(this.details ? { details: this.details } : {}),
      code: this.code,
    };
  }
}

export function isKubeApiError(error: unknown): error is KubeApiError {
  return error instanceof KubeApiError;
}

/** `redis.marketplace.kratix.io`, or `namespaces` for the core group: how K8s names a resource in messages. */
export function qualifiedResource(key: TypeKey): string {
  return key.group ? `${key.plural}.${key.group}` : key.plural;
}

/** `Redis.marketplace.kratix.io`, or `Namespace` for the core group: how K8s names a kind in 422s. */
export function qualifiedKind(group: string, kind: string): string {
  return group ? `${kind}.${group}` : kind;
}

export function notFound(key: TypeKey, name: string): KubeApiError {
  return new KubeApiError(
    404,
    'NotFound',
    `${qualifiedResource(key)} "${name}" not found`,
    {
      name,
      group: key.group,
      kind: key.plural,
    },
  );
}

/** The answer for an unknown path or type. */
export function resourceNotFound(): KubeApiError {
  return new KubeApiError(
    404,
    'NotFound',
    'the server could not find the requested resource',
    {},
  );
}

export function alreadyExists(key: TypeKey, name: string): KubeApiError {
  return new KubeApiError(
    409,
    'AlreadyExists',
    `${qualifiedResource(key)} "${name}" already exists`,
    {
      name,
      group: key.group,
      kind: key.plural,
    },
  );
}

export function conflict(
  key: TypeKey,
  name: string,
  why?: string,
): KubeApiError {
  const reason =
    why ??
    'the object has been modified; please apply your changes to the latest version and try again';
  return new KubeApiError(
    409,
    'Conflict',
    `Operation cannot be fulfilled on ${qualifiedResource(
      key,
    )} "${name}": ${reason}`,
    { name, group: key.group, kind: key.plural },
  );
}

/** One cause as `field: message`, the way K8s joins them into the 422 message. */
function causeText(cause: StatusCause): string {
  return cause.field ? `${cause.field}: ${cause.message}` : cause.message;
}

export function invalid(
  group: string,
  kind: string,
  name: string,
  causes: StatusCause[],
): KubeApiError {
  const text =
    causes.length === 1
      ? causeText(causes[0])
      : `[${causes.map(causeText).join(', ')}]`;
  return new KubeApiError(
    422,
    'Invalid',
    `${qualifiedKind(group, kind)} "${name}" is invalid: ${text}`,
    {
      name,
      group,
      kind,
      causes,
    },
  );
}

export function gone(
  message: string,
  reason: 'Gone' | 'Expired' = 'Expired',
): KubeApiError {
  return new KubeApiError(410, reason, message, {});
}

export function badRequest(message: string): KubeApiError {
  return new KubeApiError(400, 'BadRequest', message, {});
}

export function forbidden(
  message: string,
  details?: StatusDetails,
): KubeApiError {
  return new KubeApiError(403, 'Forbidden', message, details ?? {});
}

export function methodNotAllowed(message?: string): KubeApiError {
  return new KubeApiError(
    405,
    'MethodNotAllowed',
    message ??
      'the server does not allow this method on the requested resource',
    {},
  );
}

/** 401; the message is `Unauthorized` unless an authenticator said why it rejected the credentials. */
export function unauthorized(message = 'Unauthorized'): KubeApiError {
  return new KubeApiError(401, 'Unauthorized', message, {});
}

export function unsupportedMediaType(contentType: string): KubeApiError {
  return new KubeApiError(
    415,
    'UnsupportedMediaType',
    `the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml (got ${contentType})`,
    {},
  );
}

export function requestEntityTooLarge(): KubeApiError {
  return new KubeApiError(
    413,
    'RequestEntityTooLarge',
    'Request entity too large: limit is 3145728',
    {},
  );
}

export function internalError(message: string): KubeApiError {
  return new KubeApiError(
    500,
    'InternalError',
    `Internal error occurred: ${message}`,
    {},
  );
}
