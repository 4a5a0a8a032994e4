/*
 * Issue 20's attacks on waiting, through the real scaffolder and the real MCP plugin, with the app's
 * permission policy deciding: starving the scaffolder's workers with waits on a Promise that never
 * becomes Available, or on a Resource whose workflow never ends (Medium 5); more waits over MCP
 * than the cap (Low 9); a timeout above the maximum; and a wait on a Resource the user may not read
 * leaving its status in the task log (Medium 3). Every step waits on the scaffolder's long-polled
 * task events, never on time.
 */
import {
  actionsRegistryServiceFactory,
  actionsServiceFactory,
} from '@backstage/backend-defaults/alpha';
import mcpActionsBackend from '@backstage/plugin-mcp-actions-backend';
import scaffolderBackend from '@backstage/plugin-scaffolder-backend';
import scaffolderEntityModel from '@backstage/plugin-catalog-backend-module-scaffolder-entity-model';
import scaffolderModuleKratix from '@kratix-backstage/plugin-scaffolder-backend-module-kratix';
import { startSandbox, type Sandbox } from '@kratix-backstage/sandbox';
import path from 'node:path';
import request from 'supertest';
import { McpClients } from './__testUtils__/mcpClients';
import {
  eventually,
  startKratixTestBackend,
  type KratixTestBackend,
} from './__testUtils__/testBackend';

jest.setTimeout(180_000);

const TEAM_DATABASE = { group: 'sandbox.kratix.io', plural: 'teamdatabases' };
const WAITING = /Waiting for sandbox:redis\/default\/slow-cache/;

describe('limits on waiting, through the scaffolder and MCP', () => {
  let sandbox: Sandbox;
  let backend: KratixTestBackend;
  const mcpClients = new McpClients(() => backend);

  /** Starts a task of a test template as `user`; its id. */
  async function startTask(
    user: string,
    template: 'kratix-test-wait' | 'kratix-test-create',
    values: Record<string, unknown>,
  ): Promise<string> {
    const res = await request(backend.server)
      .post('/api/scaffolder/v2/tasks')
      .set('Authorization', await backend.auth(user))
      .send({ templateRef: `template:default/${template}`, values });
    if (res.status !== 201) {
      throw new Error(
        `Task not created: ${res.status} ${JSON.stringify(res.body)}`,
      );
    }
    return res.body.id;
  }

  /**
   * Follows a task's events (the scaffolder's long poll) until a log line matches `until`
   * (`waiting`) or the task completes (its status). Logs are every line seen so far.
   */
  async function follow(
    user: string,
    id: string,
    until?: RegExp,
  ): Promise<{ status: string; logs: string[] }> {
    const authorization = await backend.auth(user);
    const logs: string[] = [];
    let after: number | undefined;
    for (;;) {
      const res = await request(backend.server)
        .get(`/api/scaffolder/v2/tasks/${id}/events`)
        .query(after === undefined ? {} : { after })
        .set('Authorization', authorization);
      for (const event of res.body as Array<{
        id: number;
        type: string;
        body: { message?: string };
      }>) {
        after = event.id;
        if (event.type === 'log' && event.body.message) {
          logs.push(event.body.message);
          if (until?.test(event.body.message))
            return { status: 'waiting', logs };
        }
        if (event.type === 'completion') {
          const task = await request(backend.server)
            .get(`/api/scaffolder/v2/tasks/${id}`)
            .set('Authorization', authorization);
          return { status: task.body.status, logs };
        }
      }
    }
  }

  async function cancel(user: string, id: string) {
    const res = await request(backend.server)
      .post(`/api/scaffolder/v2/tasks/${id}/cancel`)
      .set('Authorization', await backend.auth(user));
    expect(res.status).toBe(200);
  }

  /** Calls a Kratix MCP tool as `user`. */
  const mcp = (user: string, action: string, args: Record<string, unknown>) =>
    mcpClients.call(user, action, args);

  beforeAll(async () => {
    sandbox = await startSandbox({ stepDelayMs: 50 });
    await sandbox.ready;
    backend = await startKratixTestBackend({
      cluster: sandbox,
      features: [
        scaffolderBackend,
        scaffolderEntityModel,
        scaffolderModuleKratix,
        actionsRegistryServiceFactory,
        actionsServiceFactory,
        mcpActionsBackend,
      ],
      extraLocations: [path.join(__dirname, '__fixtures__/waitTemplates.yaml')],
      extraConfig: {
        backend: { actions: { pluginSources: ['kratix'] } },
        kratix: { waits: { maxPerUser: 3 } },
      },
    });
    const guest = await backend.auth('guest');
    await eventually(async () => {
      for (const name of ['kratix-test-wait', 'kratix-test-create']) {
        const res = await request(backend.server)
          .get(
            `/api/scaffolder/v2/templates/default/template/${name}/parameter-schema`,
          )
          .set('Authorization', guest);
        if (res.status !== 200) return undefined;
      }
      return true;
    }, 'the catalog to ingest the test templates');
  });

  afterAll(async () => {
    await mcpClients.closeAll();
    await backend?.stop();
    await sandbox?.close();
  });

  it('refuses a timeout above kratix.waits.maxSeconds, naming the field, in a template and over MCP', async () => {
    const id = await startTask('guest', 'kratix-test-wait', {
      promise: 'redis',
      name: 'slow-cache',
      timeoutSeconds: 86400,
    });
    const run = await follow('guest', id);
    expect(run.status).toBe('failed');
    expect(run.logs.join('\n')).toContain(
      'timeoutSeconds: 86400 is more than the longest wait allowed, 900 seconds (kratix.waits.maxSeconds)',
    );
    expect(run.logs.join('\n')).not.toMatch(WAITING);

    const over = await mcp('guest', 'wait-for-resource', {
      entityRef: 'component:default/checkout-service',
      promise: 'redis',
      name: 'slow-cache',
      timeoutSeconds: 86400,
    });
    expect(over).toEqual({
      isError: true,
      text: 'InputError: timeoutSeconds: 86400 is more than the longest wait allowed, 900 seconds (kratix.waits.maxSeconds)',
    });
  });

  it('fails ten templates on a Promise that never becomes Available at once, with its reason, creating nothing', async () => {
    const before = sandbox.store.list(TEAM_DATABASE).items.length;
    const ids = await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        startTask('guest', 'kratix-test-create', {
          promise: 'team-database',
          name: `starve-${i}`,
          entity: 'component:default/checkout-service',
          timeoutSeconds: 900,
        }),
      ),
    );
    // Each would hold a worker for 15 minutes if it waited: all ten complete instead.
    const runs = await Promise.all(ids.map(id => follow('guest', id)));
    for (const run of runs) {
      expect(run.status).toBe('failed');
      expect(run.logs.join('\n')).toMatch(
        /Promise team-database on cluster sandbox is Unavailable, so its Resources' workflows do not run and a wait would never end: RequirementsFulfilled=False \(RequirementsNotInstalled\)/,
      );
    }
    expect(sandbox.store.list(TEAM_DATABASE).items).toHaveLength(before);
    // The same over MCP, for the seeded Resource of that Promise.
    const waited = await mcp('guest', 'wait-for-resource', {
      entityRef: 'component:default/checkout-service',
      promise: 'team-database',
      name: 'orders',
    });
    expect(waited.isError).toBe(true);
    expect(waited.text).toMatch(
      /^ConflictError: Promise team-database on cluster sandbox is Unavailable/,
    );
  });

  it("caps one user's running waits across the scaffolder and MCP, refuses the rest at once, and still runs another user's", async () => {
    // slow-cache's workflow runs for an hour: every admitted wait holds its scaffolder worker.
    const wait = { promise: 'redis', name: 'slow-cache', timeoutSeconds: 900 };
    const ids = await Promise.all(
      Array.from({ length: 10 }, () =>
        startTask('guest', 'kratix-test-wait', wait),
      ),
    );
    const runs = await Promise.all(ids.map(id => follow('guest', id, WAITING)));
    const held = ids.filter((_, i) => runs[i].status === 'waiting');
    const refused = runs.filter(r => r.status !== 'waiting');
    expect(held).toHaveLength(3);
    expect(refused).toHaveLength(7);
    for (const run of refused) {
      expect(run.status).toBe('failed');
      expect(run.logs.join('\n')).toContain(
        'Too many Kratix waits at once: user:default/guest already has 3 running (at most 3, kratix.waits.maxPerUser, templates and AI assistants together)',
      );
    }

    // The cap counts MCP waits too: guest's assistant is refused at once.
    const overMcp = await mcp('guest', 'wait-for-resource', {
      entityRef: 'component:default/checkout-service',
      promise: 'redis',
      name: 'slow-cache',
    });
    expect(overMcp.isError).toBe(true);
    expect(overMcp.text).toMatch(
      /^ServiceUnavailableError: Too many Kratix waits at once: user:default\/guest already has 3 running/,
    );

    // Another user's template still gets a worker and waits.
    const aliceId = await startTask('alice', 'kratix-test-wait', wait);
    expect((await follow('alice', aliceId, WAITING)).status).toBe('waiting');

    // Cancelled waits give their slots back: guest's assistant waits again, on a finished Resource.
    for (const id of held) await cancel('guest', id);
    await cancel('alice', aliceId);
    for (const [user, id] of [
      ...held.map(heldId => ['guest', heldId]),
      ['alice', aliceId],
    ]) {
      expect((await follow(user, id)).status).toMatch(/^(cancelled|failed)$/);
    }
    const freed = await mcp('guest', 'wait-for-resource', {
      entityRef: 'component:default/checkout-service',
      promise: 'redis',
      name: 'example',
    });
    expect(freed.isError).toBe(false);
    expect(JSON.parse(freed.text).condition).toMatchObject({ status: 'True' });
  });

  it('keeps a Resource the user may not read out of the task log: the wait is refused before anything of it is logged', async () => {
    // bob owns nothing; redis/example is team-checkout's, with connection details in its status.
    const id = await startTask('bob', 'kratix-test-wait', {
      promise: 'redis',
      name: 'example',
      timeoutSeconds: 60,
    });
    const run = await follow('bob', id);
    expect(run.status).toBe('failed');
    const log = run.logs.join('\n');
    expect(log).toContain(
      'You may not read the Kratix Resource sandbox:redis/default/example',
    );
    expect(log).not.toMatch(
      /Condition |Pipeline |Message: |provisioned|connectionDetails|26379|Done: /,
    );
  });
});
