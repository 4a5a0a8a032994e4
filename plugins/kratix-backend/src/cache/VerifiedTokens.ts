/*
 * Bearer tokens the router's guard has verified, kept for at most `kratix.cache.decisionSeconds`
 * (default 10 s, 0 = verify on every request) and never past the token's own `exp`. Verifying a
 * user token is an ES256 signature check per request, about a fifth of a warm read. A Backstage
 * token cannot be revoked before it expires (only its signing key retired, which happens after
 * every token it signed has expired), so what a kept verification accepts is what a fresh one
 * would; the bound only covers a change of configuration (e.g. an external access JWT whose key
 * was removed). Only tokens with an expiry are kept: static external tokens, which a config
 * change can remove at any time, are checked every time (they cost nothing to check).
 */
import type { BackstageCredentials } from '@backstage/backend-plugin-api';
import type { Request } from 'express';

export class VerifiedTokens {
  private readonly entries = new Map<
    string,
    { until: number; credentials: Promise<BackstageCredentials> }
  >();

  constructor(
    readonly ttlMs: number,
    private readonly maxEntries = 10_000,
    private readonly now: () => number = Date.now,
  ) {}

  /** The request's credentials: kept ones for a token verified before, else `verify()`'s. */
  credentials<T extends BackstageCredentials>(
    req: Pick<Request, 'headers'>,
    verify: () => Promise<T>,
  ): Promise<T> {
    const token = this.ttlMs > 0 ? bearerToken(req) : undefined;
    if (!token) return verify();
    const now = this.now();
    const hit = this.entries.get(token);
    if (hit && now < hit.until) return hit.credentials as Promise<T>;
    const expiresAt = expiryOf(token);
    if (expiresAt === undefined || now >= expiresAt) return verify();
    if (this.entries.size >= this.maxEntries) this.evictExpired(now);
    if (this.entries.size >= this.maxEntries) this.entries.clear();
    const credentials = verify();
    const entry = { until: Math.min(now + this.ttlMs, expiresAt), credentials };
    this.entries.set(token, entry);
    // A token that fails verification is not kept: the next request verifies it again.
    credentials.catch(() => {
      if (this.entries.get(token) === entry) this.entries.delete(token);
    });
    return credentials;
  }

  private evictExpired(now: number) {
    for (const [token, entry] of this.entries) {
      if (now >= entry.until) this.entries.delete(token);
    }
  }
}

function bearerToken(req: Pick<Request, 'headers'>): string | undefined {
  const match = /^Bearer[ ]+(\S+)$/i.exec(req.headers.authorization ?? '');
  return match?.[1];
}

/** A JWT's `exp` in milliseconds, read without verifying (verification decides validity). */
function expiryOf(token: string): number | undefined {
  const payload = token.split('.')[1];
  if (!payload) return undefined;
  try {
    const { exp } = JSON.parse(Buffer.from(payload, 'base64url').toString());
    return typeof exp === 'number' ? exp * 1000 : undefined;
  } catch {
    return undefined;
  }
}
