/*
 * The Kratix actions as an AI assistant sees them: a real MCP client (@modelcontextprotocol/sdk over
 * streamable HTTP) against /api/mcp-actions/v1 of a real backend, with a user's token. The MCP
 * plugin calls the Kratix plugin's registered actions on the user's behalf, so every decision below
 * is the permission backend's, on the user's identity.
 */
import {
  actionsRegistryServiceFactory,
  actionsServiceFactory,
} from '@backstage/backend-defaults/alpha';
import mcpActionsBackend from '@backstage/plugin-mcp-actions-backend';
import { startSandbox, type Sandbox } from '@kratix-backstage/sandbox';
import { McpClients } from './__testUtils__/mcpClients';
import {
  eventually,
  startKratixTestBackend,
  type KratixTestBackend,
} from './__testUtils__/testBackend';

jest.setTimeout(120_000);

const REDIS = { group: 'marketplace.kratix.io', plural: 'redis' };

describe('Kratix MCP actions', () => {
  let sandbox: Sandbox;
  let backend: KratixTestBackend;
  const mcp = new McpClients(() => backend);
  /** An MCP client signed in as `user`. */
  const connect = (user: string) => mcp.connect(user);

  beforeAll(async () => {
    sandbox = await startSandbox({ stepDelayMs: 50 });
    await sandbox.ready;
    backend = await startKratixTestBackend({
      cluster: sandbox,
      features: [
        actionsRegistryServiceFactory,
        actionsServiceFactory,
        mcpActionsBackend,
      ],
      extraConfig: {
        backend: { actions: { pluginSources: ['kratix'] } },
        kratix: { platformTeam: 'group:default/team-platform' },
      },
    });
  });

  afterAll(async () => {
    await mcp.closeAll();
    await backend?.stop();
    await sandbox?.close();
  });

  it('offers the five Kratix tools with their input schemas', async () => {
    const { tools } = await connect('guest');
    const kratix = tools.filter(t =>
      /(list-promises|get-resource-status|get-resource-logs|create-resource|wait-for-resource)$/.test(
        t.name,
      ),
    );
    expect(
      kratix.map(t => t.name.replace(/^.*?(?=[a-z-]+$)/, '')).sort(),
    ).toEqual([
      'create-resource',
      'get-resource-logs',
      'get-resource-status',
      'list-promises',
      'wait-for-resource',
    ]);
    const create = kratix.find(t => t.name.endsWith('create-resource'))!;
    expect(create.inputSchema.properties).toHaveProperty('spec');
    expect(create.inputSchema.properties).toHaveProperty('entityRef');
  });

  it('lists Promises with the schema of their spec', async () => {
    const { call } = await connect('guest');
    const { isError, json } = await call('list-promises', {});
    expect(isError).toBe(false);
    const redis = json.promises.find((p: any) => p.name === 'redis');
    expect(redis).toMatchObject({
      cluster: 'sandbox',
      kind: 'redis',
      apiVersion: 'marketplace.kratix.io/v1alpha1',
    });
    expect(redis.specSchema.properties.size).toMatchObject({
      type: 'string',
      default: 'small',
    });
  });

  it("reads a Resource's status through its entity, as the read path decides", async () => {
    const guest = await connect('guest');
    const read = await guest.call('get-resource-status', {
      entityRef: 'component:default/search-service',
      promise: 'elastic-cloud',
      name: 'example',
    });
    expect(read.isError).toBe(false);
    expect(read.json.resource).toMatchObject({
      resourceRef: 'sandbox:elastic-cloud/default/example',
      status: { initialLoginDetails: { username: 'elastic' } },
    });
    // bob owns nothing: the same read is refused.
    const bob = await connect('bob');
    const denied = await bob.call('get-resource-status', {
      entityRef: 'component:default/search-service',
      promise: 'elastic-cloud',
      name: 'example',
    });
    expect(denied.isError).toBe(true);
    // Refused reads the same as missing: no existence oracle (issue 20, Low 7).
    expect(denied.text).toMatch(
      /links no Resource sandbox:elastic-cloud\/default\/example that the platform confirms and you may read$/,
    );
  });

  it('reads why a workflow failed for a reader of logs, and refuses a reader who may not read logs', async () => {
    // alice is on the platform team; jenkins/broken's pipeline exits 1 (sandbox.kratix.io/simulate: fail).
    const alice = await connect('alice');
    const read = await eventually(async () => {
      const answer = await alice.call('get-resource-logs', {
        entityRef: 'component:default/ci-platform',
        promise: 'jenkins',
        name: 'broken',
      });
      return !answer.isError && answer.json.failed ? answer : undefined;
    }, 'the failed run of jenkins/broken');
    expect(read.json).toMatchObject({
      container: 'jenkins-configure-pipeline',
      exitCode: 1,
      source: 'pod',
      lines: [
        'jenkins: could not render the Jenkins instance (simulated failure)',
      ],
    });
    // carol (team-sre) reads team-checkout's Resources, not their logs.
    const carol = await connect('carol');
    const denied = await carol.call('get-resource-logs', {
      entityRef: 'component:default/checkout-service',
      promise: 'redis',
      name: 'example',
    });
    expect(denied.isError).toBe(true);
    expect(denied.text).toMatch(/kratix\.resource\.logs\.read/);
  });

  it('creates a Resource as the user, then waits for it and reads it', async () => {
    const { call } = await connect('guest');
    const input = {
      promise: 'redis',
      name: 'assistant-cache',
      entityRef: 'component:default/checkout-service',
      spec: { size: 'large' },
    };
    const created = await call('create-resource', input);
    expect(created.isError).toBe(false);
    expect(created.json).toMatchObject({ adopted: false, dryRun: false });
    expect(
      sandbox.store.get(REDIS, 'default', 'assistant-cache')?.metadata
        .annotations,
    ).toMatchObject({
      'kratix.backstage.io/requested-by': 'user:default/guest',
      'kratix.backstage.io/entity-ref': 'component:default/checkout-service',
    });

    const waited = await call('wait-for-resource', {
      entityRef: input.entityRef,
      promise: 'redis',
      name: 'assistant-cache',
      timeoutSeconds: 60,
    });
    expect(waited.isError).toBe(false);
    expect(waited.json.condition).toMatchObject({
      type: 'ConfigureWorkflowCompleted',
      status: 'True',
    });
    expect(waited.json.resource.message).toBe(
      'Redis assistant-cache (large, 3 replica(s)) provisioned',
    );

    // Not in the entity's annotations, but the Resource names the entity: the platform confirms it.
    const read = await call('get-resource-status', {
      entityRef: input.entityRef,
      promise: 'redis',
      name: 'assistant-cache',
    });
    expect(read.isError).toBe(false);
    expect(read.json.resource).toMatchObject({
      resourceRef: 'sandbox:redis/default/assistant-cache',
      state: 'ready',
      status: { connectionDetails: { port: 26379 } },
    });

    // Asking again is safe: the same request returns the same Resource.
    const again = await call('create-resource', input);
    expect(again.json).toMatchObject({ adopted: true });
    const conflict = await call('create-resource', {
      ...input,
      spec: { size: 'small' },
    });
    expect(conflict.isError).toBe(true);
    expect(conflict.text).toMatch(/spec: .*different spec/);
  });

  it('refuses bad input naming the field, and users without permission, creating nothing', async () => {
    const guest = await connect('guest');
    const bad = await guest.call('create-resource', {
      promise: 'redis',
      name: 'bad-size',
      entityRef: 'component:default/checkout-service',
      spec: { size: 'huge' },
    });
    expect(bad.isError).toBe(true);
    expect(bad.text).toMatch(/spec\.size: /);
    const bob = await connect('bob');
    const denied = await bob.call('create-resource', {
      promise: 'redis',
      name: 'from-bob',
      entityRef: 'component:default/checkout-service',
    });
    expect(denied.isError).toBe(true);
    expect(denied.text).toMatch(
      /You may not create Kratix Resources for component:default\/checkout-service/,
    );
    for (const name of ['bad-size', 'from-bob']) {
      expect(sandbox.store.get(REDIS, 'default', name)).toBeUndefined();
    }
  });

  it('fails a wait with the condition of a failed workflow', async () => {
    const alice = await connect('alice');
    const failed = await alice.call('wait-for-resource', {
      entityRef: 'component:default/ci-platform',
      promise: 'jenkins',
      name: 'broken',
    });
    expect(failed.isError).toBe(true);
    expect(failed.text).toMatch(
      /ConfigureWorkflowCompleted=False \(ConfigureWorkflowFailed\)/,
    );
  });
});
