/*
 * The scaffolder's and the assistants' creates run as the user too (issue 26): on the real backend
 * with the scaffolder and MCP backends, against a sandbox that enforces RBAC, reached with
 * `auth.type: impersonate` and a token for the seed's `kratix-backstage` user (read, review and
 * impersonate only: a create as Backstage itself would be refused). The guest is on team-search
 * (elastic-clouds) and team-checkout (redis); Backstage's policy lets them create anything for
 * checkout's entities.
 */
import {
  actionsRegistryServiceFactory,
  actionsServiceFactory,
} from '@backstage/backend-defaults/alpha';
import scaffolderEntityModel from '@backstage/plugin-catalog-backend-module-scaffolder-entity-model';
import mcpActionsBackend from '@backstage/plugin-mcp-actions-backend';
import scaffolderBackend from '@backstage/plugin-scaffolder-backend';
import scaffolderModuleKratix from '@kratix-backstage/plugin-scaffolder-backend-module-kratix';
import type { Sandbox } from '@kratix-backstage/sandbox';
import path from 'node:path';
import request from 'supertest';
import {
  rbacCluster,
  ROLE_BINDINGS,
  startRbacSandbox,
} from './__testUtils__/clusterIdentity';
import { McpClients } from './__testUtils__/mcpClients';
import { runScaffolderTask } from './__testUtils__/scaffolderTasks';
import {
  eventually,
  startKratixTestBackend,
  type KratixTestBackend,
} from './__testUtils__/testBackend';

jest.setTimeout(180_000);

const BACKSTAGE_TOKEN = 'cluster-identity-automation-backstage';
const templates = path.resolve(__dirname, '../../../../examples/templates');
const REDIS = { group: 'marketplace.kratix.io', plural: 'redis' };
const JENKINS = { group: 'marketplace.kratix.io', plural: 'jenkins' };
const ELASTIC = { group: 'workshop.kratix.io', plural: 'elastic-clouds' };
const REFUSED = /The platform \(cluster sandbox\) refused: /;

describe('Cluster identity: the scaffolder and MCP create as the user', () => {
  let sandbox: Sandbox;
  let backend: KratixTestBackend;
  const mcp = new McpClients(() => backend);

  beforeAll(async () => {
    sandbox = await startRbacSandbox(BACKSTAGE_TOKEN);
    backend = await startKratixTestBackend({
      cluster: rbacCluster(sandbox, BACKSTAGE_TOKEN),
      features: [
        scaffolderBackend,
        scaffolderEntityModel,
        scaffolderModuleKratix,
        actionsRegistryServiceFactory,
        actionsServiceFactory,
        mcpActionsBackend,
      ],
      extraLocations: [
        path.join(templates, 'elastic-cloud.yaml'),
        path.join(templates, 'redis.yaml'),
      ],
      extraConfig: { backend: { actions: { pluginSources: ['kratix'] } } },
    });
    const guest = await backend.auth('guest');
    await eventually(async () => {
      const res = await request(backend.server)
        .get(
          '/api/scaffolder/v2/templates/default/template/kratix-redis/parameter-schema',
        )
        .set('Authorization', guest);
      return res.status === 200 ? true : undefined;
    }, 'the catalog to ingest the templates');
  });

  afterAll(async () => {
    await mcp.closeAll();
    await backend?.stop();
    await sandbox?.close();
  });

  /** The sandbox's record of the guest's creates of `resource` (impersonated by Backstage). */
  const guestCreates = (resource: string) =>
    sandbox.requestLog.entries(
      r =>
        r.verb === 'create' &&
        r.resource === resource &&
        r.user === 'guest' &&
        r.impersonator?.user === 'kratix-backstage',
    );

  it('creates through MCP as the user; what their RBAC does not grant is a tool error naming the platform', async () => {
    const { call } = await mcp.connect('guest');
    const refused = await call('create-resource', {
      promise: 'jenkins',
      name: 'assistant-jenkins',
      entityRef: 'component:default/checkout-service',
      spec: { env: 'dev' },
    });
    expect(refused.isError).toBe(true);
    expect(refused.text).toMatch(REFUSED);
    expect(
      sandbox.store.get(JENKINS, 'default', 'assistant-jenkins'),
    ).toBeUndefined();
    expect(guestCreates('jenkins')).toEqual([
      expect.objectContaining({ allowed: false }),
    ]);

    const created = await call('create-resource', {
      promise: 'elastic-cloud',
      name: 'assistant-search',
      entityRef: 'component:default/checkout-service',
      spec: { enableDataCollection: false },
    });
    expect(created.isError).toBe(false);
    expect(
      sandbox.store.get(ELASTIC, 'default', 'assistant-search'),
    ).toBeDefined();
    expect(guestCreates('elastic-clouds')).toEqual([
      expect.objectContaining({
        allowed: true,
        groups: expect.arrayContaining(['backstage:team-search']),
      }),
    ]);
  });

  it("runs a template's create as the user who runs it, and fails it with the platform's reason once their RBAC is gone", async () => {
    const guest = await backend.auth('guest');
    const run = await runScaffolderTask(backend.server, guest, {
      templateRef: 'template:default/kratix-redis',
      values: {
        entity: 'component:default/checkout-service',
        name: 'template-cache',
        size: 'small',
      },
    });
    expect(run.status).toBe('completed');
    expect(guestCreates('redis')).toEqual([
      expect.objectContaining({ allowed: true }),
    ]);

    // The platform team takes team-checkout's redis access away: Backstage's policy still allows.
    sandbox.store.delete(ROLE_BINDINGS, 'default', 'team-checkout-redis');
    const refused = await runScaffolderTask(backend.server, guest, {
      templateRef: 'template:default/kratix-redis',
      values: {
        entity: 'component:default/checkout-service',
        name: 'refused-cache',
        size: 'small',
      },
    });
    expect(refused.status).toBe('failed');
    expect(refused.logs.join('\n')).toMatch(REFUSED);
    expect(sandbox.store.get(REDIS, 'default', 'refused-cache')).toBe(
      undefined,
    );
  });
});
