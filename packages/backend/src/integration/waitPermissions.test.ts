/*
 * kratix:resource:wait decided by the real permission framework: the app's policy (a conditional
 * IS_RESOURCE_OWNER decision), the permission backend, and the Kratix plugin's permission
 * integration loading the Resource and its owners. The wait reports the outcome to a user who may
 * read the Resource, and refuses one who may not with the same answer whether the Resource exists or
 * not, naming nothing of its status — agreeing, Resource by Resource, with the read path
 * (GET /api/kratix/resources/...). Each task is followed through the scaffolder's long-polled
 * events, never on time.
 */
import scaffolderBackend from '@backstage/plugin-scaffolder-backend';
import scaffolderEntityModel from '@backstage/plugin-catalog-backend-module-scaffolder-entity-model';
import scaffolderModuleKratix from '@kratix-backstage/plugin-scaffolder-backend-module-kratix';
import { startSandbox, type Sandbox } from '@kratix-backstage/sandbox';
import path from 'node:path';
import request from 'supertest';
import { runScaffolderTask } from './__testUtils__/scaffolderTasks';
import {
  eventually,
  startKratixTestBackend,
  type KratixTestBackend,
} from './__testUtils__/testBackend';

jest.setTimeout(120_000);

/** What only a reader of the Resource may see in a task log: progress, conditions, its status. */
const STATUS_LINES = /Waiting for|Condition |Pipeline |Message: |Done: /;

describe('kratix:resource:wait with the real permission framework', () => {
  let sandbox: Sandbox;
  let backend: KratixTestBackend;

  /** Runs the test wait template as `user`; the task's status and log (lines without colour or level). */
  const wait = async (user: string, promise: string, name: string) => {
    const run = await runScaffolderTask(
      backend.server,
      await backend.auth(user),
      {
        templateRef: 'template:default/kratix-test-wait',
        values: { promise, name, timeoutSeconds: 60 },
      },
    );
    const logs = run.logs.map(line =>
      // eslint-disable-next-line no-control-regex
      line.replace(/\u001b\[\d+m/g, '').replace(/^(info|warn|error): /, ''),
    );
    return { ...run, logs };
  };
  /** The read path's answer on the same Resource, for the same user. */
  const read = async (user: string, promise: string, name: string) =>
    request(backend.server)
      .get(`/api/kratix/resources/sandbox/default/${promise}/${name}`)
      .set('Authorization', await backend.auth(user));

  beforeAll(async () => {
    sandbox = await startSandbox({ stepDelayMs: 20 });
    await sandbox.ready;
    backend = await startKratixTestBackend({
      cluster: sandbox,
      features: [
        scaffolderBackend,
        scaffolderEntityModel,
        scaffolderModuleKratix,
      ],
      extraLocations: [path.join(__dirname, '__fixtures__/waitTemplates.yaml')],
    });
    const guest = await backend.auth('guest');
    await eventually(async () => {
      const res = await request(backend.server)
        .get(
          '/api/scaffolder/v2/templates/default/template/kratix-test-wait/parameter-schema',
        )
        .set('Authorization', guest);
      return res.status === 200 ? true : undefined;
    }, 'the catalog to ingest the test template');
  });

  afterAll(async () => {
    await backend?.stop();
    await sandbox?.close();
  });

  it("reports the outcome to a user who may read the Resource (guest, on team-checkout's redis/example)", async () => {
    const page = await read('guest', 'redis', 'example');
    expect(page.status).toBe(200);

    const run = await wait('guest', 'redis', 'example');
    expect(run.status).toBe('completed');
    const log = run.logs.join('\n');
    expect(log).toContain(
      'Waiting for sandbox:redis/default/example (at most 60s)',
    );
    const done = run.logs.find(line => line.startsWith('Done: '));
    expect(done).toMatch(/^Done: ConfigureWorkflowCompleted=True/);
    // The outcome is the Resource's own status, as the read path shows it.
    const { resource } = (await read('guest', 'redis', 'example')).body;
    expect(resource.message).toEqual(expect.any(String));
    expect(done).toContain(resource.message);
  });

  it("refuses a user who may read other Resources but not this one (guest, on team-platform's jenkins/example)", async () => {
    expect((await read('guest', 'jenkins', 'example')).status).toBe(404);

    const run = await wait('guest', 'jenkins', 'example');
    expect(run.status).toBe('failed');
    const log = run.logs.join('\n');
    expect(log).toContain(
      'You may not read the Kratix Resource sandbox:jenkins/default/example',
    );
    expect(log).not.toMatch(STATUS_LINES);
  });

  it('refuses a user on no team (bob) exactly as for a Resource that does not exist, naming nothing of its status', async () => {
    const existing = await read('bob', 'redis', 'example');
    const missing = await read('bob', 'redis', 'no-such-cache');
    expect([existing.status, missing.status]).toEqual([404, 404]);
    const anonymous = (message: string, name: string) =>
      message.replace(`redis/default/${name}`, 'redis/default/X');
    // The read path's answer: the same for both.
    expect(anonymous(existing.body.error.message, 'example')).toBe(
      anonymous(missing.body.error.message, 'no-such-cache'),
    );

    const [onExisting, onMissing] = await Promise.all([
      wait('bob', 'redis', 'example'),
      wait('bob', 'redis', 'no-such-cache'),
    ]);
    expect([onExisting.status, onMissing.status]).toEqual(['failed', 'failed']);
    // The step's error, without the stack the scaffolder logs with it.
    const refusal = (logs: string[]) =>
      logs.find(line => line.includes('may not read'))?.split('\n')[0];
    expect(refusal(onExisting.logs)).toBe(
      'NotAllowedError: You may not read the Kratix Resource sandbox:redis/default/example',
    );
    // The wait's answer: the same for both too.
    expect(anonymous(refusal(onExisting.logs)!, 'example')).toBe(
      anonymous(refusal(onMissing.logs)!, 'no-such-cache'),
    );
    const log = onExisting.logs.join('\n');
    expect(log).not.toMatch(STATUS_LINES);
    // Nothing of what the workflow wrote into the Resource's status.
    const status = sandbox.store.get(
      { group: 'marketplace.kratix.io', plural: 'redis' },
      'default',
      'example',
    )?.status as { message?: string } | undefined;
    expect(status?.message).toEqual(expect.any(String));
    expect(log).not.toContain(status!.message);
  });
});
