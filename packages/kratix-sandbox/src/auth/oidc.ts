/*
 * OpenID Connect ID tokens as bearer tokens, checked the way kube-apiserver's --oidc-* flags check
 * them: the issuer must match exactly, `aud` must contain the client id, the token must not have
 * expired, and the signature must verify with a key from the JWKS named by the issuer's discovery
 * document. The user name and groups come from the configured claims with kube-apiserver's prefix
 * rules. Verification is jose's; nothing here parses or checks a signature by hand.
 */
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import {
  createRemoteJWKSet,
  customFetch,
  decodeJwt,
  decodeProtectedHeader,
  errors,
  jwtVerify,
  type JWTPayload,
} from 'jose';
import {
  AuthenticationRejected,
  bearerToken,
  withAuthenticatedGroup,
  type Authenticator,
  type UserInfo,
} from './identity';

/** @public */
export interface OidcOptions {
  /**
   * The issuer URL, exactly as tokens' `iss` claim says it; the discovery document is at
   * `<issuer>/.well-known/openid-configuration`. Must be https (http only for a loopback issuer).
   */
  issuerUrl: string;
  /** The client id tokens must be issued for: `aud` must contain it. */
  clientId: string;
  /** The claim that names the user (kube-apiserver's --oidc-username-claim). Default `sub`. */
  usernameClaim?: string;
  /**
   * Put before every user name (--oidc-username-prefix). Default `<issuer>#` unless the claim is
   * `email`, which gets none; `-` means no prefix.
   */
  usernamePrefix?: string;
  /** The claim holding the user's groups, a string or an array of strings (--oidc-groups-claim). */
  groupsClaim?: string;
  /** Put before every group (--oidc-groups-prefix), e.g. `oidc:`. */
  groupsPrefix?: string;
  /** PEM of the CA(s) that signed the issuer's HTTPS certificate, when not a public one. */
  caPem?: string;
  /** Accepted signature algorithms (--oidc-signing-algs). Default `['RS256']`, as kube-apiserver. */
  signingAlgorithms?: string[];
}

/** go-oidc's allowance for clock skew on `nbf`; `exp` gets none, as in kube-apiserver. */
const NOT_BEFORE_LEEWAY_SECONDS = 300;
/** Discovery documents and key sets are small; a bigger answer is not one. */
const MAX_BODY_BYTES = 1024 * 1024;
const FETCH_TIMEOUT_MS = 5000;

type Fetch = (
  url: string,
  init: { headers?: Headers; signal?: AbortSignal },
) => Promise<Response>;

/**
 * Authenticates OIDC ID tokens. A bearer token that is not a JWT is not this authenticator's
 * (undefined); a JWT it rejects throws AuthenticationRejected saying why.
 *
 * @public
 */
export function createOidcAuthenticator(options: OidcOptions): Authenticator {
  const issuer = validIssuer(options.issuerUrl);
  if (!options.clientId) {
    throw new Error('OIDC clientId is required: tokens must be issued for it');
  }
  const usernameClaim = options.usernameClaim ?? 'sub';
  const usernamePrefix = prefixFor(
    options.usernamePrefix,
    usernameClaim,
    issuer,
  );
  const groupsPrefix = options.groupsPrefix ?? '';
  const algorithms = options.signingAlgorithms ?? ['RS256'];
  const fetchJson = createFetch(options.caPem);

  // The discovery document and key set are fetched on first use and kept; a failed discovery is
  // forgotten so that the next token tries again (the issuer may just not be up yet).
  let keys: Promise<ReturnType<typeof createRemoteJWKSet>> | undefined;
  const keySet = () => {
    keys ??= discover(issuer, fetchJson).then(jwksUri =>
      createRemoteJWKSet(new URL(jwksUri), {
        timeoutDuration: FETCH_TIMEOUT_MS,
        [customFetch]: fetchJson,
      }),
    );
    keys.catch(() => {
      keys = undefined;
    });
    return keys;
  };

  return async (req: IncomingMessage): Promise<UserInfo | undefined> => {
    const token = bearerToken(req);
    if (token === undefined) return undefined;
    const unverified = decodeIfJwt(token);
    if (!unverified) return undefined;

    // Checked before any key is fetched: a token from another issuer is not worth a round trip.
    if (unverified.iss !== issuer) {
      throw new AuthenticationRejected(
        unverified.iss === undefined
          ? `issuer mismatch: the token has no issuer, expected "${issuer}"`
          : `issuer mismatch: the token was issued by "${unverified.iss}", expected "${issuer}"`,
      );
    }
    let jwks: Awaited<ReturnType<typeof keySet>>;
    try {
      jwks = await keySet();
    } catch (error) {
      throw new AuthenticationRejected(
        `cannot verify the token: ${(error as Error).message}`,
      );
    }
    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(token, jwks, {
        issuer,
        audience: options.clientId,
        algorithms,
        requiredClaims: ['exp'],
        clockTolerance: NOT_BEFORE_LEEWAY_SECONDS,
      }));
    } catch (error) {
      throw new AuthenticationRejected(rejection(error, options.clientId));
    }
    // jose's tolerance is for nbf; exp has none (go-oidc: expired when exp is before now).
    const now = Math.floor(Date.now() / 1000);
    if (payload.exp !== undefined && payload.exp < now) {
      throw new AuthenticationRejected(
        `token expired at ${new Date(payload.exp * 1000).toISOString()}`,
      );
    }
    return {
      username: usernamePrefix + username(payload, usernameClaim),
      groups: withAuthenticatedGroup(
        groups(payload, options.groupsClaim).map(g => groupsPrefix + g),
      ),
    };
  };
}

function validIssuer(issuerUrl: string): string {
  let url: URL;
  try {
    url = new URL(issuerUrl);
  } catch {
    throw new Error(`OIDC issuerUrl "${issuerUrl}" is not a URL`);
  }
  if (url.search || url.hash) {
    throw new Error(
      `OIDC issuerUrl "${issuerUrl}" must not have a query or fragment`,
    );
  }
  const loopback = ['127.0.0.1', '[::1]', 'localhost'].includes(url.hostname);
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && loopback)) {
    throw new Error(
      `OIDC issuerUrl "${issuerUrl}" must use https (http is accepted for loopback issuers only)`,
    );
  }
  // Kept as given: tokens' iss must equal it character for character, trailing slash included.
  return issuerUrl;
}

/** kube-apiserver: no prefix for `email`, `<issuer>#` for any other claim, `-` for none at all. */
function prefixFor(
  configured: string | undefined,
  claim: string,
  issuer: string,
): string {
  if (configured === '-') return '';
  if (configured !== undefined) return configured;
  return claim === 'email' ? '' : `${issuer}#`;
}

/** The unverified claims of a compact JWS JWT, or undefined for anything else. */
function decodeIfJwt(token: string): JWTPayload | undefined {
  if (token.split('.').length !== 3) return undefined;
  try {
    const header = decodeProtectedHeader(token);
    if (typeof header.alg !== 'string') return undefined;
    return decodeJwt(token);
  } catch {
    return undefined;
  }
}

function username(payload: JWTPayload, claim: string): string {
  const value = payload[claim];
  if (typeof value !== 'string' || value === '') {
    throw new AuthenticationRejected(
      value === undefined
        ? `the token has no "${claim}" claim to take the user name from`
        : `the token's "${claim}" claim is not a string`,
    );
  }
  // kube-apiserver takes an email as a user name only when the provider vouches for it (or says
  // nothing either way).
  if (
    claim === 'email' &&
    'email_verified' in payload &&
    payload.email_verified !== true
  ) {
    throw new AuthenticationRejected(
      `email not verified: the token's email_verified claim is ${JSON.stringify(
        payload.email_verified,
      )}`,
    );
  }
  return value;
}

function groups(payload: JWTPayload, claim: string | undefined): string[] {
  if (!claim) return [];
  const value = payload[claim];
  if (value === undefined || value === null) return [];
  if (typeof value === 'string') return [value];
  if (Array.isArray(value) && value.every(g => typeof g === 'string')) {
    return value;
  }
  throw new AuthenticationRejected(
    `the token's "${claim}" claim is neither a string nor an array of strings`,
  );
}

/** A sentence for why jose refused the token, starting with what is wrong. */
function rejection(error: unknown, clientId: string): string {
  if (error instanceof errors.JWTExpired) {
    const exp = (error.payload as JWTPayload).exp;
    return exp === undefined
      ? 'token expired'
      : `token expired at ${new Date(exp * 1000).toISOString()}`;
  }
  if (error instanceof errors.JWTClaimValidationFailed) {
    if (error.claim === 'aud') {
      return `audience mismatch: the token is for ${JSON.stringify(
        error.payload.aud ?? null,
      )}, expected "${clientId}"`;
    }
    if (error.claim === 'iss') return `issuer mismatch: ${error.message}`;
    if (error.claim === 'nbf') return 'token not yet valid (nbf)';
    return `invalid "${error.claim}" claim: ${error.message}`;
  }
  if (
    error instanceof errors.JWSSignatureVerificationFailed ||
    error instanceof errors.JWKSNoMatchingKey
  ) {
    return `signature invalid: no key of the issuer verifies the token`;
  }
  if (
    error instanceof errors.JWKSTimeout ||
    error instanceof errors.JWKSInvalid ||
    (error instanceof errors.JOSEError && error.code === 'ERR_JOSE_GENERIC')
  ) {
    return `cannot verify the token: the issuer's key set could not be read: ${error.message}`;
  }
  if (error instanceof errors.JOSEAlgNotAllowed) {
    return `signature algorithm not allowed: ${error.message}`;
  }
  if (error instanceof errors.JOSEError) {
    return `invalid token: ${error.message}`;
  }
  return `cannot verify the token: ${(error as Error).message}`;
}

/** The jwks_uri of the issuer's discovery document, whose issuer must be this one exactly. */
async function discover(issuer: string, fetchJson: Fetch): Promise<string> {
  const url = `${issuer.replace(/\/$/, '')}/.well-known/openid-configuration`;
  let document: { issuer?: unknown; jwks_uri?: unknown };
  try {
    const response = await fetchJson(url, {
      signal: AbortSignal.timeout(FETCH_TIMEOUT_MS),
    });
    if (response.status !== 200) {
      throw new Error(`HTTP ${response.status}`);
    }
    document = await response.json();
  } catch (error) {
    throw new Error(
      `the issuer's discovery document ${url} could not be read: ${
        (error as Error).message
      }`,
    );
  }
  if (document.issuer !== issuer) {
    throw new Error(
      `the discovery document ${url} names issuer ${JSON.stringify(
        document.issuer,
      )}, expected "${issuer}"`,
    );
  }
  if (typeof document.jwks_uri !== 'string') {
    throw new Error(`the discovery document ${url} has no jwks_uri`);
  }
  return document.jwks_uri;
}

/**
 * fetch over node:http(s), so that `caPem` can be trusted (the global fetch takes no CA); used for
 * discovery and, through jose's customFetch, for the key set. Redirects are not followed.
 */
function createFetch(caPem: string | undefined): Fetch {
  return (url, init) =>
    new Promise<Response>((resolve, reject) => {
      const target = new URL(url);
      const headers: Record<string, string> = { accept: 'application/json' };
      init.headers?.forEach((value, key) => {
        headers[key] = value;
      });
      const send = target.protocol === 'https:' ? httpsRequest : httpRequest;
      const request = send(
        target,
        {
          method: 'GET',
          headers,
          signal: init.signal,
          ...(caPem && target.protocol === 'https:' ? { ca: caPem } : {}),
        },
        res => {
          const chunks: Buffer[] = [];
          let size = 0;
          res.on('data', (chunk: Buffer) => {
            size += chunk.length;
            if (size > MAX_BODY_BYTES) {
              res.destroy(new Error(`${url} answered more than 1 MiB`));
              return;
            }
            chunks.push(chunk);
          });
          res.on('error', reject);
          res.on('end', () => {
            const responseHeaders = new Headers();
            for (const [key, value] of Object.entries(res.headers)) {
              if (typeof value === 'string') responseHeaders.set(key, value);
            }
            const status = res.statusCode ?? 500;
            // Response refuses a body with these statuses, and any status outside 200-599.
            const bodyless = [204, 205, 304].includes(status);
            resolve(
              new Response(bodyless ? null : Buffer.concat(chunks), {
                status: status >= 200 && status <= 599 ? status : 502,
                headers: responseHeaders,
              }),
            );
          });
        },
      );
      request.on('error', reject);
      request.end();
    });
}
