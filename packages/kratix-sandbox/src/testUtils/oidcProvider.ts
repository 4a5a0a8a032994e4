/*
 * A test OpenID Connect identity provider: an HTTP(S) server on loopback serving the discovery
 * document and its JWKS, and signing RS256 ID tokens with a key it generates at start. For tests of
 * clusters (the sandbox) and backends that accept or forward OIDC ID tokens; never for production.
 */
import {
  createServer as createHttpServer,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey } from 'jose';
import { selfSignedCertificate } from '../apiserver/tls';

/** @public */
export interface TestOidcProviderOptions {
  /** The audience tokens are issued for unless `issue` says otherwise. Default `kratix-sandbox`. */
  clientId?: string;
  /**
   * Serve HTTPS with a fresh self-signed certificate (see `certificate`), as a real issuer must;
   * default false (plain HTTP, which the sandbox accepts from loopback issuers only).
   */
  tls?: boolean;
}

/** @public */
export interface TestOidcTokenOptions {
  sub: string;
  email?: string;
  /** Default true when `email` is given; null leaves the claim out. */
  emailVerified?: boolean | null;
  /** A string or an array, as identity providers send either. */
  groups?: string | string[];
  /** `aud`; default the provider's clientId. */
  audience?: string | string[];
  /** `iss`; default the provider's own issuer URL (another value makes a token from a stranger). */
  issuer?: string;
  /** Lifetime from `issuedAt`; negative gives an expired token. Default 3600. */
  expiresInSeconds?: number;
  /** `iat` as a Date; default now. */
  issuedAt?: Date;
  /** More claims, e.g. `{ preferred_username: 'ada' }`. */
  claims?: Record<string, unknown>;
  /**
   * Sign with this private key instead of the provider's, keeping the provider's `kid`: a token
   * whose signature the provider's JWKS does not verify.
   */
  signingKey?: CryptoKey;
}

/** @public */
export interface TestOidcProvider {
  /** The issuer URL, e.g. `http://127.0.0.1:41234`; the discovery document is below it. */
  issuer: string;
  clientId: string;
  jwksUri: string;
  /** PEM of the self-signed serving certificate (with `tls: true`), for clients to trust. */
  certificate?: string;
  /** A signed RS256 ID token. */
  issue(options: TestOidcTokenOptions): Promise<string>;
  /** How many times the JWKS was fetched, to show verifiers cache it. */
  readonly jwksRequests: number;
  /** While true, discovery and the JWKS answer 503, as an identity provider that is down. */
  unavailable: boolean;
  close(): Promise<void>;
}

const KEY_ID = 'test-oidc-key';

/**
 * Starts a test OIDC identity provider on 127.0.0.1 (a free port).
 *
 * @public
 */
export async function startTestOidcProvider(
  options: TestOidcProviderOptions = {},
): Promise<TestOidcProvider> {
  const clientId = options.clientId ?? 'kratix-sandbox';
  const { privateKey, publicKey } = await generateKeyPair('RS256');
  const jwk = {
    ...(await exportJWK(publicKey)),
    kid: KEY_ID,
    alg: 'RS256',
    use: 'sig',
  };
  const tls = options.tls ? selfSignedCertificate(['127.0.0.1']) : undefined;
  let issuer = '';
  let jwksRequests = 0;
  let unavailable = false;

  const listener = (req: IncomingMessage, res: ServerResponse) => {
    const send = (status: number, body: unknown) => {
      res.writeHead(status, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    const path = new URL(req.url ?? '/', issuer).pathname;
    if (unavailable) send(503, { error: 'unavailable' });
    else if (req.method !== 'GET') send(405, { error: 'method not allowed' });
    else if (path === '/.well-known/openid-configuration') {
      send(200, {
        issuer,
        jwks_uri: `${issuer}/keys`,
        authorization_endpoint: `${issuer}/auth`,
        token_endpoint: `${issuer}/token`,
        response_types_supported: ['code', 'id_token'],
        subject_types_supported: ['public'],
        id_token_signing_alg_values_supported: ['RS256'],
      });
    } else if (path === '/keys') {
      jwksRequests += 1;
      send(200, { keys: [jwk] });
    } else send(404, { error: 'not found' });
  };
  const server: Server = tls
    ? createHttpsServer({ cert: tls.cert, key: tls.key }, listener)
    : createHttpServer(listener);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  issuer = `${tls ? 'https' : 'http'}://127.0.0.1:${port}`;

  return {
    issuer,
    clientId,
    jwksUri: `${issuer}/keys`,
    ...(tls ? { certificate: tls.cert } : {}),
    get jwksRequests() {
      return jwksRequests;
    },
    get unavailable() {
      return unavailable;
    },
    set unavailable(value: boolean) {
      unavailable = value;
    },
    async issue(token) {
      const issuedAt = Math.floor(
        (token.issuedAt ?? new Date()).getTime() / 1000,
      );
      const claims: Record<string, unknown> = { ...token.claims };
      if (token.email !== undefined) {
        claims.email = token.email;
        if (token.emailVerified !== null) {
          claims.email_verified = token.emailVerified ?? true;
        }
      }
      if (token.groups !== undefined) claims.groups = token.groups;
      return new SignJWT(claims)
        .setProtectedHeader({ alg: 'RS256', kid: KEY_ID, typ: 'JWT' })
        .setIssuer(token.issuer ?? issuer)
        .setSubject(token.sub)
        .setAudience(token.audience ?? clientId)
        .setIssuedAt(issuedAt)
        .setExpirationTime(issuedAt + (token.expiresInSeconds ?? 3600))
        .sign(token.signingKey ?? privateKey);
    },
    close: () =>
      new Promise<void>(resolve => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
