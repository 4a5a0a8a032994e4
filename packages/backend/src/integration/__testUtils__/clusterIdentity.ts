/*
 * The platform of the cluster identity tests (issue 26): a sandbox that enforces its seed's
 * Kubernetes RBAC (team-checkout may create and change redis in `default`, team-search
 * elastic-clouds, neither may delete; team-platform everything), in which Backstage's own identity
 * is the seed's `kratix-backstage` user, who may only read, review access and impersonate: every
 * write must go as the signed-in user, or the cluster refuses it. Also the storefront team fixture
 * (Sofia: team-storefront and team-checkout; Sam: team-storefront and team-sre) and the reads the
 * tests make of what a user is shown.
 */
import {
  startSandbox,
  type KubeObject,
  type Sandbox,
  type SandboxOptions,
  type TypeKey,
} from '@kratix-backstage/sandbox';
import path from 'node:path';
import request from 'supertest';
import {
  waitForCatalogEntities,
  type KratixTestBackend,
  type KratixTestBackendOptions,
} from './testBackend';

/** The seed's user for Backstage at the cluster (read, review and impersonate only). */
export const BACKSTAGE_USER = 'kratix-backstage';

export const ROLE_BINDINGS: TypeKey = {
  group: 'rbac.authorization.k8s.io',
  plural: 'rolebindings',
};

/** kratix.cache.clusterAccessSeconds the tests set: how long a cluster's "may get" answer is reused. */
export const ACCESS_SECONDS = 1;
/** Time for the requests themselves, beyond the cache bound, on a loaded machine. */
export const REQUEST_SLACK_MS = 10_000;

/** How a write the cluster's RBAC refuses is answered (403, naming the cluster). */
export const REFUSED = /^The platform \(cluster sandbox\) refused: /;

/**
 * A sandbox enforcing the seed's RBAC, in which `backstageToken` is Backstage's `kratix-backstage`
 * and every request is logged (`sandbox.requestLog`); `options` adds to that (e.g. `oidc`). Ready.
 */
export async function startRbacSandbox(
  backstageToken: string,
  options: SandboxOptions = {},
): Promise<Sandbox> {
  const sandbox = await startSandbox({
    stepDelayMs: 20,
    rbac: true,
    users: [{ token: backstageToken, username: BACKSTAGE_USER }],
    requestLogSize: 10_000,
    ...options,
  });
  await sandbox.ready;
  return sandbox;
}

/** The backend's cluster for that sandbox: as `kratix-backstage`, acting as each user (`auth`). */
export function rbacCluster(
  sandbox: Sandbox,
  backstageToken: string,
  auth: KratixTestBackendOptions['cluster']['auth'] = { type: 'impersonate' },
): KratixTestBackendOptions['cluster'] {
  return {
    url: sandbox.url,
    token: backstageToken,
    certificate: sandbox.certificate,
    auth,
  };
}

/** The catalog file of team-storefront (Sofia, Sam) and its component `storefront`. */
export const STOREFRONT_TEAM_LOCATION = path.resolve(
  __dirname,
  '../__fixtures__/clusterIdentityTeams.yaml',
);

/** Waits until the storefront team's users can sign in with their teams (see waitForCatalogEntities). */
export function waitForStorefrontTeam(backend: KratixTestBackend) {
  return waitForCatalogEntities(
    backend,
    [
      [
        'user/default/sofia',
        ['group:default/team-storefront', 'group:default/team-checkout'],
      ],
      [
        'user/default/sam',
        ['group:default/team-storefront', 'group:default/team-sre'],
      ],
      ['component/default/storefront', []],
    ],
    'the storefront team',
  );
}

/** `<promise>/<name>` of each Resource the caller is shown on an entity's Kratix tab. */
export async function listedOn(
  backend: KratixTestBackend,
  entityPath: string,
  auth: string,
): Promise<string[]> {
  const res = await request(backend.server)
    .get(`${entityPath}/resources`)
    .set('Authorization', auth);
  expect(res.status).toBe(200);
  return (res.body.items as Array<{ promise: string; name: string }>).map(
    i => `${i.promise}/${i.name}`,
  );
}

/** Creates a deleted object again as it was (as the platform team would re-apply it). */
export function recreate(sandbox: Sandbox, type: TypeKey, object: KubeObject) {
  const { uid, resourceVersion, creationTimestamp, ...metadata } =
    object.metadata;
  return sandbox.store.create(type, { ...object, metadata });
}
