/*
 * Issue 20, High 1: a link belongs to an entity, not to a name. The attacker is the guest (team-search
 * and team-checkout) with a catalog file of their own. Each attack is performed as the red team did,
 * through the routes, the Resource page and MCP, and must be refused with nothing changed.
 */
import {
  actionsRegistryServiceFactory,
  actionsServiceFactory,
} from '@backstage/backend-defaults/alpha';
import { createBackendModule } from '@backstage/backend-plugin-api';
import { catalogLocationsExtensionPoint } from '@backstage/plugin-catalog-node';
import mcpActionsBackend from '@backstage/plugin-mcp-actions-backend';
import { startSandbox, type Sandbox } from '@kratix-backstage/sandbox';
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import request from 'supertest';
import { McpClients } from './__testUtils__/mcpClients';
import {
  eventually,
  startKratixTestBackend,
  type KratixTestBackend,
} from './__testUtils__/testBackend';

jest.setTimeout(300_000);

const REDIS = { group: 'marketplace.kratix.io', plural: 'redis' };
const RACE_ROUNDS = 20;

const component = (name: string, owner: string, resources: string) => `---
apiVersion: backstage.io/v1alpha1
kind: Component
metadata:
  name: ${name}
  annotations:
    kratix.backstage.io/resources: ${resources}
spec:
  type: service
  lifecycle: production
  owner: ${owner}
`;

/** TEST ONLY: lets the catalog API register file locations, standing in for a user's repository. */
const fileLocationsModule = createBackendModule({
  pluginId: 'catalog',
  moduleId: 'test-file-locations',
  register(reg) {
    reg.registerInit({
      deps: { locations: catalogLocationsExtensionPoint },
      async init({ locations }) {
        locations.setAllowedLocationTypes(['url', 'file']);
      },
    });
  },
});

/** The status, with the body in the failure message when it differs. */
function expectStatus(res: { status: number; body: unknown }, status: number) {
  if (res.status !== status) {
    throw new Error(
      `Expected ${status}, got ${res.status}: ${JSON.stringify(res.body)}`,
    );
  }
}

describe('A link binds to the entity, not to its name', () => {
  let sandbox: Sandbox;
  let backend: KratixTestBackend;
  let dir: string;
  let guest: string;
  let alice: string;
  const mcp = new McpClients(() => backend);

  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'kratix-identity-'));
    // team-platform's entity, from a location in the app's config (trusted).
    writeFileSync(
      path.join(dir, 'ledger.yaml'),
      component(
        'ledger-service',
        'team-platform',
        'redis/default/ledger-cache',
      ),
    );
    // The attacker's own files: registered through the catalog API, so never trusted.
    writeFileSync(
      path.join(dir, 'attacker-billing.yaml'),
      component(
        'billing-service',
        'team-search',
        'redis/default/billing-cache',
      ),
    );
    // The right owner's name, claimed from the attacker's own location.
    writeFileSync(
      path.join(dir, 'attacker-vault.yaml'),
      component('vault-service', 'team-platform', 'redis/default/vault-cache'),
    );
    writeFileSync(
      path.join(dir, 'attacker-ledger.yaml'),
      component('ledger-service', 'team-search', 'redis/default/ledger-cache'),
    );
    sandbox = await startSandbox({ stepDelayMs: 20 });
    await sandbox.ready;
    // Made by the platform, outside Backstage, for entities that do not exist (yet).
    for (const [name, named] of [
      ['billing-cache', 'billing-service'],
      ['vault-cache', 'vault-service'],
    ]) {
      sandbox.store.create(REDIS, {
        apiVersion: 'marketplace.kratix.io/v1alpha1',
        kind: 'redis',
        metadata: {
          name,
          namespace: 'default',
          annotations: {
            'kratix.backstage.io/entity-ref': `component:default/${named}`,
            'kratix.backstage.io/owner': 'team-platform',
          },
        },
        spec: { size: 'small' },
      });
    }
    backend = await startKratixTestBackend({
      cluster: sandbox,
      extraLocations: [path.join(dir, 'ledger.yaml')],
      features: [
        actionsRegistryServiceFactory,
        actionsServiceFactory,
        mcpActionsBackend,
        fileLocationsModule,
      ],
      extraConfig: {
        backend: { actions: { pluginSources: ['kratix'] } },
        // Off, so each read sees the catalog as it is now.
        kratix: { cache: { decisionSeconds: 0, entitySeconds: 0 } },
      },
    });
    [guest, alice] = await Promise.all([
      backend.auth('guest'),
      backend.auth('alice'),
    ]);
    await eventually(
      async () => ((await entity('ledger-service')) ? true : undefined),
      'ledger-service to be ingested',
    );
  });

  afterAll(async () => {
    await mcp.closeAll();
    await backend?.stop();
    await sandbox?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const server = () => backend.server;
  /** The entity holding a name now, as the platform team sees it. */
  async function entity(name: string) {
    const res = await request(server())
      .get(`/api/catalog/entities/by-name/component/default/${name}`)
      .set('Authorization', alice);
    return res.status === 200 ? res.body : undefined;
  }
  /** Registers a file the way a user registers their own catalog file. */
  async function register(file: string) {
    const res = await request(server())
      .post('/api/catalog/locations')
      .set('Authorization', alice)
      .send({ type: 'file', target: path.join(dir, file) });
    expectStatus(res, 201);
    // The catalog names a registered location's entity after a hash of its type and target.
    const hash = createHash('sha1')
      .update(`file:${path.join(dir, file)}`)
      .digest('hex');
    return `location:default/generated-${hash}`;
  }
  const stored = (name: string) => sandbox.store.get(REDIS, 'default', name)!;

  const mcpStatus = (user: string, args: Record<string, unknown>) =>
    mcp.call(user, 'get-resource-status', args);

  /**
   * Everything the attacker tries on a Resource through an entity that holds its name: the tab,
   * the one-Resource read, the Resource page, pause, and MCP. All must read as "nothing there".
   */
  async function expectRefused(
    entityName: string,
    resource: string,
    attackerHoldsName = true,
  ) {
    const before = JSON.stringify(stored(resource).metadata);
    const entityPath = `/api/kratix/entities/component/default/${entityName}`;
    const list = await request(server())
      .get(`${entityPath}/resources`)
      .set('Authorization', guest);
    expect({
      status: list.status,
      items: list.body.items,
      reasons: list.body.refErrors?.map((e: any) => e.reason),
    }).toEqual(
      attackerHoldsName
        ? // The attacker's own entity: its claim is not confirmed, as for a missing Resource.
          { status: 200, items: [], reasons: ['not-confirmed'] }
        : // team-platform's entity again: its link holds, and the guest is not among its owners.
          { status: 403, items: undefined, reasons: undefined },
    );
    const one = await request(server())
      .get(`${entityPath}/resources/sandbox/default/redis/${resource}`)
      .set('Authorization', guest);
    expect(one.status).toBe(404);
    expect(JSON.stringify(one.body)).not.toContain('team-platform');
    const page = await request(server())
      .get(`/api/kratix/resources/sandbox/default/redis/${resource}`)
      .set('Authorization', guest);
    expect(page.status).toBe(404);
    const pause = await request(server())
      .post(`${entityPath}/resources/sandbox/default/redis/${resource}/pause`)
      .set('Authorization', guest);
    expect(pause.status).toBe(404);
    const status = await mcpStatus('guest', {
      entityRef: `component:default/${entityName}`,
      promise: 'redis',
      name: resource,
    });
    const missing = await mcpStatus('guest', {
      entityRef: `component:default/${entityName}`,
      promise: 'redis',
      name: 'no-such-cache',
    });
    expect(status.isError).toBe(true);
    // The same answer as for a Resource that does not exist.
    expect(status.text.replace(resource, '<name>')).toBe(
      missing.text.replace('no-such-cache', '<name>'),
    );
    expect(JSON.stringify(stored(resource).metadata)).toBe(before);
    expect(stored(resource).metadata.labels?.['kratix.io/paused']).toBe(
      undefined,
    );
  }

  it('a dangling entity-ref is inherited by nobody who registers the name later', async () => {
    const page = () =>
      request(server())
        .get('/api/kratix/resources/sandbox/default/redis/billing-cache')
        .set('Authorization', guest);
    expect((await page()).status).toBe(404);
    await register('attacker-billing.yaml');
    await eventually(
      async () => ((await entity('billing-service')) ? true : undefined),
      'the attacker’s billing-service',
    );
    await expectRefused('billing-service', 'billing-cache');
  });

  it('the right owner’s name from a user’s own location confirms nothing, even for the platform team', async () => {
    await register('attacker-vault.yaml');
    await eventually(
      async () => ((await entity('vault-service')) ? true : undefined),
      'the attacker’s vault-service',
    );
    const list = await request(server())
      .get('/api/kratix/entities/component/default/vault-service/resources')
      .set('Authorization', alice);
    expect(list.body.items).toEqual([]);
    expect(list.body.refErrors[0].reason).toBe('not-confirmed');
  });

  it(`an entity deleted and re-registered by someone else gets none of its Resources (${RACE_ROUNDS} races)`, async () => {
    const created = await request(server())
      .post('/api/kratix/resources')
      .set('Authorization', alice)
      .send({
        promise: 'redis',
        name: 'ledger-cache',
        namespace: 'default',
        entityRef: 'component:default/ledger-service',
        spec: { size: 'small' },
      });
    expectStatus(created, 201);
    const original = await entity('ledger-service');
    const annotations = stored('ledger-cache').metadata.annotations!;
    expect(annotations['kratix.backstage.io/entity-uid']).toBe(
      original.metadata.uid,
    );
    expect(annotations['kratix.backstage.io/owner']).toBe(
      'group:default/team-platform',
    );
    // The platform team reads it through ledger-service: the link is real.
    const path0 =
      '/api/kratix/entities/component/default/ledger-service/resources/sandbox/default/redis/ledger-cache';
    expect(
      (await request(server()).get(path0).set('Authorization', alice)).status,
    ).toBe(200);

    const attackerLocation = await register('attacker-ledger.yaml');
    const winners = { platform: 0, attacker: 0 };
    let current = original;
    for (let round = 0; round < RACE_ROUNDS; round++) {
      // Delete by uid while the attacker's location is refreshed: whichever location processes
      // next takes the name.
      await Promise.all([
        request(server())
          .delete(`/api/catalog/entities/by-uid/${current.metadata.uid}`)
          .set('Authorization', alice)
          .expect(204),
        request(server())
          .post('/api/catalog/refresh')
          .set('Authorization', alice)
          .send({ entityRef: attackerLocation }),
      ]);
      const previousUid = current.metadata.uid;
      current = await eventually(async () => {
        const now = await entity('ledger-service');
        return now && now.metadata.uid !== previousUid ? now : undefined;
      }, `round ${round}: ledger-service to be taken again`);
      const attackerWon = current.spec.owner === 'team-search';
      winners[attackerWon ? 'attacker' : 'platform'] += 1;

      await expectRefused('ledger-service', 'ledger-cache', attackerWon);
      const platformView = await request(server())
        .get('/api/kratix/entities/component/default/ledger-service/resources')
        .set('Authorization', alice);
      const [refError] = platformView.body.refErrors;
      expect({
        items: platformView.body.items.map((i: any) => i.name),
        reason: refError?.reason,
        namesRecordedUid:
          refError?.message.includes(`uid ${original.metadata.uid}`) ?? false,
      }).toEqual(
        attackerWon
          ? // The platform team is told the link is stale, and how to re-bind it.
            { items: [], reason: 'stale', namesRecordedUid: true }
          : // The same entity re-ingested from its own (trusted) location, same owner: still linked.
            {
              items: ['ledger-cache'],
              reason: undefined,
              namesRecordedUid: false,
            },
      );
    }
    // eslint-disable-next-line no-console
    console.info(`ledger-service races won: ${JSON.stringify(winners)}`);
    expect(winners.platform + winners.attacker).toBe(RACE_ROUNDS);
  });
});
