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
});
