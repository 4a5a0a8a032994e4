/*
 * A real Backstage backend for integration tests: the real catalog (reading the app's example
 * catalog), the real permission backend with this repo's policy, the Kratix plugin, and the sandbox
 * platform as its cluster over HTTP. Only identity is simplified: tests sign requests as a user with
 * mock tokens, and a small directory maps each user to their teams (what the auth backend's sign-in
 * would have put in the token).
 */
import {
  coreServices,
  createServiceFactory,
} from '@backstage/backend-plugin-api';
import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import type { JsonObject } from '@backstage/types';
import path from 'node:path';

export const TEAMS: Record<string, string[]> = {
  'user:default/guest': ['group:default/team-search', 'group:default/team-checkout'],
  'user:default/alice': ['group:default/team-platform'],
  'user:default/bob': [],
};

const userInfoFactory = createServiceFactory({
  service: coreServices.userInfo,
  deps: {},
  factory: () => ({
    async getUserInfo(credentials: any) {
      const ref: string = credentials.principal.userEntityRef;
      return { userEntityRef: ref, ownershipEntityRefs: [ref, ...(TEAMS[ref] ?? [])] };
    },
  }),
});

const examples = path.resolve(__dirname, '../../../../examples');

export interface KratixTestBackendOptions {
  cluster: { url: string; token: string; requestTimeoutMs?: number };
  database?: JsonObject;
  extraConfig?: JsonObject;
}

export async function startKratixTestBackend(options: KratixTestBackendOptions) {
  return startTestBackend({
    features: [
      import('@backstage/plugin-catalog-backend'),
      import('@backstage/plugin-permission-backend'),
      import('../modules/permissionPolicy'),
      import('@kratix-backstage/plugin-kratix-backend'),
      userInfoFactory,
      mockServices.rootConfig.factory({
        data: {
          backend: {
            database: options.database ?? {
              client: 'better-sqlite3',
              connection: ':memory:',
            },
          },
          permission: { enabled: true },
          catalog: {
            processingInterval: { seconds: 1 },
            rules: [{ allow: ['Component', 'System', 'User', 'Group'] }],
            locations: [
              { type: 'file', target: path.join(examples, 'entities.yaml') },
              { type: 'file', target: path.join(examples, 'org.yaml') },
            ],
          },
          kratix: {
            clusters: [
              {
                name: 'sandbox',
                url: options.cluster.url,
                auth: { type: 'serviceAccount', token: options.cluster.token },
                requestTimeoutMs: options.cluster.requestTimeoutMs ?? 3000,
              },
            ],
            creation: { allowedNamespaces: ['default', 'team-checkout'] },
          },
          ...options.extraConfig,
        },
      }),
    ],
  });
}

/** Polls until `check` returns a value (not undefined) or the time runs out. */
export async function eventually<T>(
  check: () => Promise<T | undefined>,
  what: string,
  timeoutMs = 30_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < deadline) {
    try {
      const value = await check();
      if (value !== undefined) return value;
    } catch (error) {
      last = error;
    }
    await new Promise(r => setTimeout(r, 200));
  }
  throw new Error(`Timed out waiting for ${what}${last ? `: ${last}` : ''}`);
}
