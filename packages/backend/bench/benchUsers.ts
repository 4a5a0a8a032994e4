/*
 * The bench's signed-in users: N User entities for the catalog the bench backend reads (members of
 * the example teams, so their reads are real reads and not 403s), a sign-in provider that signs
 * them in through the auth backend, and their tokens.
 *
 * The provider is a proxy provider (the kind oauth2-proxy or an identity-aware proxy is): the user
 * name comes in a request header, the auth backend's catalog resolver finds the User entity and
 * issues a real Backstage user token with its ownership claims (user + memberOf groups), exactly
 * as any sign-in does. It is added to the bench backend only (benchBackend.ts), accepts only the
 * generated names, and is never part of the app.
 */
import { createBackendModule } from '@backstage/backend-plugin-api';
import {
  authProvidersExtensionPoint,
  createProxyAuthenticator,
  createProxyAuthProviderFactory,
} from '@backstage/plugin-auth-node';
import fs from 'node:fs';
import path from 'node:path';

/** The provider's id: `auth.providers.bench-users` must be in the bench's config. */
export const BENCH_USERS_PROVIDER = 'bench-users';

const USER_HEADER = 'x-bench-user';
const NAME = /^bench-user-\d{4}$/;

export const benchUserName = (i: number) =>
  `bench-user-${String(i + 1).padStart(4, '0')}`;

/**
 * Writes `count` User entities to `<dir>/bench-users.yaml`: all on team-search (search-service's
 * owner, so each reads its Resource), every other one on team-checkout too.
 */
export function writeBenchUsers(dir: string, count: number): string {
  const docs = Array.from({ length: count }, (_, i) => ({
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'User',
    metadata: { name: benchUserName(i) },
    spec: {
      memberOf: i % 2 ? ['team-search', 'team-checkout'] : ['team-search'],
    },
  }));
  const file = path.join(dir, 'bench-users.yaml');
  fs.writeFileSync(file, docs.map(d => `---\n${JSON.stringify(d)}\n`).join(''));
  return file;
}

const benchUserAuthenticator = createProxyAuthenticator({
  defaultProfileTransform: async () => ({ profile: {} }),
  initialize: () => undefined,
  async authenticate({ req }) {
    const name = req.header(USER_HEADER);
    if (!name || !NAME.test(name)) {
      throw new Error('Not a bench user');
    }
    return { result: { name } };
  },
});

/** The auth backend module for the bench backend: GET /api/auth/bench-users/refresh. */
export const benchUsersSignIn = createBackendModule({
  pluginId: 'auth',
  moduleId: 'bench-users-provider',
  register(reg) {
    reg.registerInit({
      deps: { providers: authProvidersExtensionPoint },
      async init({ providers }) {
        providers.registerProvider({
          providerId: BENCH_USERS_PROVIDER,
          factory: createProxyAuthProviderFactory({
            authenticator: benchUserAuthenticator,
            // The auth backend's own catalog resolver: the User entity, its groups, a real token.
            signInResolver: async ({ result }, ctx) =>
              ctx.signInWithCatalogUser({ entityRef: { name: result.name } }),
          }),
        });
      },
    });
  },
});

/** Signs a bench user in through the auth backend; a new token on every call. */
export async function signInBenchUser(
  base: string,
  name: string,
): Promise<string> {
  const res = await fetch(
    `${base}/api/auth/${BENCH_USERS_PROVIDER}/refresh?env=development`,
    { headers: { 'X-Requested-With': 'XMLHttpRequest', [USER_HEADER]: name } },
  );
  if (!res.ok) {
    throw new Error(
      `sign-in of ${name}: HTTP ${res.status} ${(await res.text()).slice(
        0,
        300,
      )}`,
    );
  }
  return ((await res.json()) as any).backstageIdentity.token as string;
}

/**
 * One token per user for users [0, count), signed in `concurrency` at a time. Tokens are checked to
 * be distinct: a reused token would make a "first read" a cached one.
 */
export async function mintBenchUserTokens(
  base: string,
  count: number,
  concurrency = 10,
  /** The first user's index (a second pool of users starts after the first). */
  first = 0,
): Promise<string[]> {
  const tokens = new Array<string>(count);
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < count) {
        const i = next++;
        tokens[i] = await signInBenchUser(base, benchUserName(first + i));
      }
    }),
  );
  if (new Set(tokens).size !== count) {
    throw new Error('bench users: a token was issued twice');
  }
  return tokens;
}
