/*
 * What a user is told when the repository or its forge refused a delivery: the step, the repository
 * (never its credentials) and the server's reason (HTTP status, hook output), with every secret
 * scrubbed, as a KratixDeliveryError (502).
 */
import { KratixDeliveryError } from './KratixDeliveryError';
import { redact } from './repositoryUrl';
import { GitRemoteError } from './workingCopy';

const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ETIMEDOUT',
  'EPIPE',
]);

function networkCode(error: unknown): string | undefined {
  let current: any = error;
  for (let depth = 0; current && depth < 5; depth++) {
    if (typeof current.code === 'string' && NETWORK_CODES.has(current.code)) {
      return current.code;
    }
    current = current.cause;
  }
  return undefined;
}

/** Why a clone or push failed, in a sentence's second half. */
function gitReason(failure: GitRemoteError): string {
  const error: any = failure.cause;
  const network = networkCode(error);
  if (network) return `the server could not be reached (${network})`;
  if (/timed out/i.test(String(error?.message))) {
    return 'the server stopped answering (timed out)';
  }
  switch (error?.code) {
    case 'HttpError': {
      const status = error.data?.statusCode;
      const text = `HTTP ${status} ${error.data?.statusMessage ?? ''}`.trim();
      if (status === 401 || status === 403) {
        return `the server refused the credentials from Backstage's integrations config (${text})`;
      }
      if (status === 404) return `no such repository (${text})`;
      return `the server answered ${text}`;
    }
    case 'SmartHttpError':
      return "the server did not answer as a Git server (Git's smart HTTP protocol)";
    case 'NotFoundError':
      // A clone names the ref it could not find.
      return `it has no branch ${error.data?.what ?? ''}`.trim();
    case 'GitPushError': {
      const details = String(error.data?.prettyDetails ?? '')
        .replace(/^\s*-\s*/gm, '')
        .trim()
        .replace(/\s*\n\s*/g, '; ');
      const said = failure.serverMessages.join(' / ');
      return `the server rejected the push (${details || 'no reason given'})${
        said ? `: ${said}` : ''
      }`;
    }
    default:
      return String(error?.message ?? error);
  }
}

/** A clone or push the server refused or could not take. */
export function gitFailure(
  repository: string,
  failure: GitRemoteError,
  secrets: readonly string[],
): KratixDeliveryError {
  const verb =
    failure.step === 'clone' ? 'Could not clone' : 'Could not push to';
  return new KratixDeliveryError(
    repository,
    redact(`${verb} ${repository}: ${gitReason(failure)}`, secrets),
  );
}

/** Why a forge API call failed: its status and its own message where it gave one. */
export function forgeReason(
  forge: string,
  error: unknown,
  secrets: readonly string[],
): string {
  const e: any = error;
  let reason: string;
  // @octokit/request-error first (reading its deprecated `code` logs a warning): "Validation Failed: {...} - <doc url>".
  if (e?.name === 'HttpError' && typeof e?.status === 'number') {
    reason = `${forge} answered ${e.status}: ${e.message}`;
  } else if (e?.name === 'TimeoutError' || e?.name === 'AbortError') {
    reason = `${forge}'s API did not answer in time`;
  } else {
    const network = networkCode(e);
    reason = network
      ? `${forge}'s API could not be reached (${network})`
      : String(e?.message ?? e);
  }
  return redact(reason, secrets);
}
