/*
 * Requests through Git (issue 27) from templates and AI assistants, on the real backend: the
 * sandbox cluster takes requests only as commits to the sandbox's Git server. The MCP
 * create-resource tool answers `pending` with the request; a scaffolder task's
 * kratix:resource:create (whose create the scaffolder forwards to the Kratix plugin on the user's
 * behalf) outputs the request, and with a wait, waits for the sandbox's sync to apply it and for
 * its workflow. The sync runs only when a test calls it.
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
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import request from 'supertest';
import { parse as parseYaml } from 'yaml';
import { McpClients } from './__testUtils__/mcpClients';
import { runScaffolderTask } from './__testUtils__/scaffolderTasks';
import {
  eventually,
  startKratixTestBackend,
  type KratixTestBackend,
} from './__testUtils__/testBackend';

jest.setTimeout(180_000);

const run = promisify(execFile);
const CHECKOUT = 'component:default/checkout-service';
const REDIS = { group: 'marketplace.kratix.io', plural: 'redis' };
const fileOf = (name: string) =>
  `kratix-requests/sandbox/default/redis/${name}.yaml`;

describe('Requests through Git from templates and assistants', () => {
  let sandbox: Sandbox;
  let backend: KratixTestBackend;
  const mcp = new McpClients(() => backend);

  /** Runs git on the bare repository the sandbox's Git server serves. */
  const git = async (...args: string[]) =>
    (
      await run('git', ['--git-dir', sandbox.git!.repositoryDir, ...args], {
        env: { ...process.env, GIT_CONFIG_NOSYSTEM: '1', HOME: '/nonexistent' },
      })
    ).stdout;
  const head = async () => (await git('rev-parse', 'main')).trim();
  const fileAtHead = (file: string) =>
    git('show', `main:${file}`).catch(() => undefined);
  const runTemplate = async (name: string, waitFor: string) =>
    runScaffolderTask(backend.server, await backend.auth('guest'), {
      templateRef: 'template:default/kratix-test-git-request',
      values: { name, entity: CHECKOUT, waitFor },
    });

  beforeAll(async () => {
    sandbox = await startSandbox({
      stepDelayMs: 20,
      git: { intervalSeconds: 0 },
    });
    await sandbox.ready;
    const { url, username, token, branch, path: folder } = sandbox.git!;
    const host = new URL(url).host;
    backend = await startKratixTestBackend({
      cluster: sandbox,
      delivery: {
        mode: 'gitops',
        repository: url,
        branch,
        path: folder,
        commitUrlTemplate: '{repository}.git/commit/{sha}',
      },
      features: [
        actionsRegistryServiceFactory,
        actionsServiceFactory,
        mcpActionsBackend,
        scaffolderBackend,
        scaffolderEntityModel,
        scaffolderModuleKratix,
      ],
      extraLocations: [
        path.resolve(__dirname, '__fixtures__/gitRequestTemplates.yaml'),
      ],
      extraConfig: {
        backend: { actions: { pluginSources: ['kratix'] } },
        kratix: { platformTeam: 'group:default/team-platform' },
        // The only place the Git credentials live: Backstage's integrations.
        integrations: {
          gitea: [
            { host, baseUrl: `http://${host}`, username, password: token },
          ],
        },
      },
    });
    const guest = await backend.auth('guest');
    await eventually(async () => {
      const res = await request(backend.server)
        .get(
          '/api/scaffolder/v2/templates/default/template/kratix-test-git-request/parameter-schema',
        )
        .set('Authorization', guest);
      return res.status === 200 ? true : undefined;
    }, 'the catalog to ingest the test template');
  });

  afterAll(async () => {
    await mcp.closeAll();
    await backend?.stop();
    await sandbox?.close();
  });

  it('answers the MCP create-resource pending, with the request and its commit', async () => {
    const { isError, json, text } = await mcp.call('guest', 'create-resource', {
      promise: 'redis',
      name: 'assistant-git-cache',
      entityRef: CHECKOUT,
      spec: { size: 'small' },
    });
    expect({ isError, text }).toMatchObject({ isError: false });
    const sha = await head();
    expect(json.request).toMatchObject({
      operation: 'create',
      state: 'pending',
      mode: 'gitops',
      cluster: 'sandbox',
      promise: 'redis',
      namespace: 'default',
      name: 'assistant-git-cache',
      entityRef: CHECKOUT,
      requestedBy: 'user:default/guest',
      repository: sandbox.git!.url,
      branch: 'main',
      path: fileOf('assistant-git-cache'),
      commitSha: sha,
      commitUrl: `${sandbox.git!.url}/commit/${sha}`,
    });
    expect(json.resource).toMatchObject({
      resourceRef: 'sandbox:redis/default/assistant-git-cache',
      entityRef: CHECKOUT,
      state: 'pending',
      message: json.request.message,
      status: {},
      conditions: [],
    });
    expect(json.request.message).toMatch(
      new RegExp(`^Committed ${sha.slice(0, 7)}`),
    );
    expect(json.adopted).toBe(false);
    const committed = parseYaml(
      (await fileAtHead(fileOf('assistant-git-cache')))!,
    );
    expect(
      committed.metadata.annotations['kratix.backstage.io/request-id'],
    ).toBe(json.request.id);
    expect(
      sandbox.store.get(REDIS, 'default', 'assistant-git-cache'),
    ).toBeUndefined();
  });

  it('outputs the request from a template step that does not wait', async () => {
    const task = await runTemplate('template-git-cache', 'none');
    expect(task.status).toBe('completed');
    const sha = await head();
    const commitUrl = `${sandbox.git!.url}/commit/${sha}`;
    expect(task.output).toMatchObject({
      resourceRef: 'sandbox:redis/default/template-git-cache',
      message: expect.stringMatching(
        new RegExp(`^Committed ${sha.slice(0, 7)}`),
      ),
      requestId: expect.any(String),
      requestState: 'pending',
      commitSha: sha,
      commitUrl,
      repository: sandbox.git!.url,
      branch: 'main',
      path: fileOf('template-git-cache'),
      requestUrl: commitUrl,
      links: [{ title: 'The request', url: commitUrl }],
    });
    const committed = parseYaml(
      (await fileAtHead(fileOf('template-git-cache')))!,
    );
    expect(committed.metadata.annotations).toMatchObject({
      'kratix.backstage.io/request-id': task.output.requestId,
      'kratix.backstage.io/requested-by': 'user:default/guest',
    });
  });

  it('waits in a template step for the sync to apply the request, then for its workflow', async () => {
    const task = runTemplate('synced-git-cache', 'workflow');
    // The commit lands while the step waits; then the platform (the sandbox's sync) applies it.
    await eventually(
      async () =>
        (await fileAtHead(fileOf('synced-git-cache'))) ? true : undefined,
      'the request to be committed',
    );
    await sandbox.git!.sync();
    const done = await task;
    expect(done.status).toBe('completed');
    expect(done.output).toMatchObject({
      resourceRef: 'sandbox:redis/default/synced-git-cache',
      requestState: 'applied',
      commitSha: await head(),
    });
    // Task log lines carry the logger's level prefix: read the log as one text.
    const log = done.logs.join('\n');
    const applied = log.search(
      /Applied by the platform: redis default\/synced-git-cache on cluster sandbox carries request /,
    );
    expect(applied).toBeGreaterThan(-1);
    expect(log.search(/Done: ConfigureWorkflowCompleted=True/)).toBeGreaterThan(
      applied,
    );
    expect(
      sandbox.store.get(REDIS, 'default', 'synced-git-cache')?.metadata
        .annotations?.['kratix.backstage.io/request-id'],
    ).toBe(done.output.requestId);
  });

  describe('MCP wait-for-resource with a requestId', () => {
    const WAITED = 'assistant-waited-cache';
    const HELD = 'assistant-held-cache';
    const UNKNOWN_ID = '00000000-0000-4000-8000-000000000000';
    const address = (name: string) => ({
      entityRef: CHECKOUT,
      promise: 'redis',
      name,
    });
    const createAsGuest = async (name: string) => {
      const created = await mcp.call('guest', 'create-resource', {
        ...address(name),
        spec: { size: 'small' },
      });
      expect(created).toMatchObject({ isError: false });
      expect(created.json.request.state).toBe('pending');
      return created.json.request.id as string;
    };
    const requestRows = async () =>
      Number(
        (await backend.kratixDatabase('kratix_requests').count({ n: '*' }))[0]
          .n,
      );
    let appliedId: string;
    let heldId: string;

    it('waits while the sync is held, then answers the request applied and the Resource Reconciled', async () => {
      appliedId = await createAsGuest(WAITED);
      const waited = mcp.call('guest', 'wait-for-resource', {
        ...address(WAITED),
        requestId: appliedId,
        waitFor: 'Reconciled',
        timeoutSeconds: 120,
      });
      // The wait says it follows the request: only then does the platform (the sync) apply it.
      await eventually(
        async () =>
          backend.logs.some(e =>
            e.message.startsWith(
              `Waiting for the platform to apply request ${appliedId}: sandbox:redis/default/${WAITED}`,
            ),
          )
            ? true
            : undefined,
        'the wait to follow the request',
      );
      expect(sandbox.store.get(REDIS, 'default', WAITED)).toBeUndefined();
      await sandbox.git!.sync();
      const { isError, text, json } = await waited;
      expect({ isError, text }).toMatchObject({ isError: false });
      expect(json.request).toMatchObject({
        id: appliedId,
        state: 'applied',
        message: 'Applied by the platform',
        name: WAITED,
        requestedBy: 'user:default/guest',
        commitSha: expect.any(String),
      });
      expect(json.condition).toMatchObject({
        type: 'Reconciled',
        status: 'True',
      });
      expect(json.resource).toMatchObject({
        resourceRef: `sandbox:redis/default/${WAITED}`,
        entityRef: CHECKOUT,
        state: 'ready',
      });
      expect(
        sandbox.store.get(REDIS, 'default', WAITED)?.metadata.annotations?.[
          'kratix.backstage.io/request-id'
        ],
      ).toBe(appliedId);
    });

    it('answers a user who neither asked for the request nor owns its entity as for an unknown request or a missing Resource', async () => {
      heldId = await createAsGuest(HELD);
      // carol reads team-checkout's Resources (the applied one too) but owns none; bob reads none.
      for (const user of ['carol', 'bob']) {
        for (const name of [WAITED, HELD]) {
          const answers = await Promise.all(
            [
              appliedId,
              heldId,
              UNKNOWN_ID,
              // The case of a valid id is not what tells them apart.
              appliedId.toUpperCase(),
            ].map(requestId =>
              mcp.call(user, 'wait-for-resource', {
                ...address(name),
                requestId,
                timeoutSeconds: 60,
              }),
            ),
          );
          const expected = {
            isError: true,
            text: `NotFoundError: ${CHECKOUT} links no Resource sandbox:redis/default/${name} that the platform confirms and you may read`,
          };
          for (const answer of answers) {
            expect({ isError: answer.isError, text: answer.text }).toEqual(
              expected,
            );
          }
        }
        // The Resource the held request is for is not there: the answer without a requestId.
        const missing = await mcp.call(user, 'wait-for-resource', {
          ...address(HELD),
          timeoutSeconds: 60,
        });
        expect(missing.text).toBe(
          `NotFoundError: ${CHECKOUT} links no Resource sandbox:redis/default/${HELD} that the platform confirms and you may read`,
        );
      }
      // carol may read the applied Resource itself: only its request is not hers to follow.
      const readable = await mcp.call('carol', 'get-resource-status', {
        ...address(WAITED),
      });
      expect(readable).toMatchObject({ isError: false });
      expect(sandbox.store.get(REDIS, 'default', HELD)).toBeUndefined();
    });

    it('answers a request still pending when the time runs out with where it stands, not an error', async () => {
      const held = await mcp.call('guest', 'wait-for-resource', {
        ...address(HELD),
        requestId: heldId,
        timeoutSeconds: 1,
      });
      expect({ isError: held.isError, text: held.text }).toMatchObject({
        isError: false,
      });
      expect(held.json.resource).toBeUndefined();
      expect(held.json.condition).toBeUndefined();
      const sha = held.json.request.commitSha;
      expect(held.json.request).toMatchObject({
        state: 'pending',
        name: HELD,
        message: `Committed ${sha.slice(
          0,
          7,
        )} to main, waiting for the platform to sync`,
        commitUrl: `${sandbox.git!.url}/commit/${sha}`,
      });
      expect(sandbox.store.get(REDIS, 'default', HELD)).toBeUndefined();
    });

    it('refuses a bad requestId naming the field, and changes nothing', async () => {
      const before = { head: await head(), rows: await requestRows() };
      for (const requestId of ['', 'not-a-request']) {
        const bad = await mcp.call('guest', 'wait-for-resource', {
          ...address(WAITED),
          requestId,
        });
        expect({ isError: bad.isError, text: bad.text }).toEqual({
          isError: true,
          text: `InputError: requestId: ${JSON.stringify(
            requestId,
          )} is not a request id (the \`request.id\` create-resource answers, a UUID)`,
        });
      }
      // A request the caller may follow, named with another Resource's address.
      const elsewhere = await mcp.call('guest', 'wait-for-resource', {
        ...address(HELD),
        requestId: appliedId,
      });
      expect({ isError: elsewhere.isError, text: elsewhere.text }).toEqual({
        isError: true,
        text: `InputError: requestId: request ${appliedId} is for sandbox:redis/default/${WAITED}, not sandbox:redis/default/${HELD}`,
      });
      expect({ head: await head(), rows: await requestRows() }).toEqual(before);
      expect(sandbox.store.get(REDIS, 'default', HELD)).toBeUndefined();
    });
  });
});
