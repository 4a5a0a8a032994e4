/*
 * Pull-request delivery (issue 27) on the real backend. Nothing here can reach GitHub, so a loopback
 * "GitHub Enterprise" stands in: its Git side passes pushes through to the sandbox's real Git server
 * (accepting only GitHub's x-access-token and the integration's token), and its API answers the
 * documented "create a pull request" call with the documented response shape. The push, the branch
 * and the file are checked on the real Git server; the ledger keeps the pull request's URL, and a
 * pull request closed unmerged turns the request `closed`.
 */
import {
  startLoopbackForge,
  type LoopbackForge,
  type RecordedApiCall,
} from '@kratix-backstage/sandbox/testUtils';
import { startSandbox, type Sandbox } from '@kratix-backstage/sandbox';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import request from 'supertest';
import { parse as parseYaml } from 'yaml';
import { observedScheduler } from './__testUtils__/notifications';
import {
  eventually,
  startKratixTestBackend,
  type KratixTestBackend,
} from './__testUtils__/testBackend';

jest.setTimeout(120_000);

const run = promisify(execFile);
const TOKEN = 'ghp_integration0123456789TOKEN';
const PULLS = '/api/v3/repos/acme/platform-requests/pulls';
const CHECKOUT = 'component:default/checkout-service';
const NAME = 'reviewed-cache';
const FILE = `kratix-requests/sandbox/default/redis/${NAME}.yaml`;

/**
 * The fields of GitHub's documented 201 answer to POST /repos/{owner}/{repo}/pulls that a client
 * reads (https://docs.github.com/en/rest/pulls/pulls#create-a-pull-request); the full recorded
 * shape is in plugins/kratix-node/src/delivery/__fixtures__/github-pulls-create.json.
 */
function pullRequestAnswer(
  origin: string,
  call: RecordedApiCall,
  state: 'open' | 'closed',
) {
  return {
    url: `${origin}/api/v3/repos/acme/platform-requests/pulls/12`,
    id: 1,
    node_id: 'MDExOlB1bGxSZXF1ZXN0MQ==',
    html_url: `${origin}/acme/platform-requests/pull/12`,
    number: 12,
    state,
    locked: false,
    title: call.body?.title ?? 'Request',
    merged: false,
    merged_at: null,
    draft: false,
    head: { ref: call.body?.head, label: `acme:${call.body?.head}` },
    base: { ref: call.body?.base ?? 'main', label: 'acme:main' },
  };
}

describe('Requests delivered through a pull request', () => {
  let sandbox: Sandbox;
  let forge: LoopbackForge;
  let backend: KratixTestBackend;
  let prState: 'open' | 'closed' = 'open';
  let created: RecordedApiCall | undefined;
  const scheduler = observedScheduler();

  const git = async (...args: string[]) =>
    (
      await run('git', ['--git-dir', sandbox.git!.repositoryDir, ...args], {
        env: { ...process.env, GIT_CONFIG_NOSYSTEM: '1', HOME: '/nonexistent' },
      })
    ).stdout.trim();

  beforeAll(async () => {
    sandbox = await startSandbox({
      stepDelayMs: 20,
      git: { intervalSeconds: 0 },
    });
    await sandbox.ready;
    forge = await startLoopbackForge({
      upstream: sandbox.git!.url,
      upstreamUsername: sandbox.git!.username,
      upstreamToken: sandbox.git!.token,
      repositoryPath: '/acme/platform-requests.git',
      username: 'x-access-token',
      password: TOKEN,
      api: call => {
        if (call.method === 'POST' && call.path === PULLS) {
          created = call;
          return { status: 201, body: pullRequestAnswer(forge.origin, call, 'open') };
        }
        if (call.method === 'GET' && call.path === `${PULLS}/12` && created) {
          return { status: 200, body: pullRequestAnswer(forge.origin, created, prState) };
        }
        return { status: 404, body: { message: 'Not Found' } };
      },
    });
    backend = await startKratixTestBackend({
      cluster: sandbox,
      // The real scheduler: the check that asks GitHub runs on its schedule (the mock runs once).
      features: [scheduler.feature],
      delivery: {
        mode: 'pull-request',
        repository: forge.cloneUrl,
        branch: 'main',
        path: 'kratix-requests',
      },
      extraConfig: {
        integrations: {
          github: [
            {
              host: forge.host,
              apiBaseUrl: `${forge.origin}/api/v3`,
              token: TOKEN,
            },
          ],
        },
        kratix: { delivery: { checkIntervalSeconds: 1 } },
      },
    });
  });

  afterAll(async () => {
    await backend?.stop();
    await forge?.close();
    await sandbox?.close();
  });

  it('pushes a branch with the manifest, opens the pull request, and keeps its URL', async () => {
    // GitHub Enterprise serves pull requests' pages on the repository's host.
    const PR_URL = `${forge.origin}/acme/platform-requests/pull/12`;
    const guest = await backend.auth('guest');
    const mainBefore = await git('rev-parse', 'main');
    const res = await request(backend.server)
      .post('/api/kratix/resources')
      .set('Authorization', guest)
      .send({
        promise: 'redis',
        namespace: 'default',
        name: NAME,
        spec: { size: 'small' },
        entityRef: CHECKOUT,
      });
    expect(res.status).toBe(202);
    const pending = res.body.request;
    expect(pending).toMatchObject({
      operation: 'create',
      state: 'pending',
      mode: 'pull-request',
      pullRequestUrl: PR_URL,
      pullRequestNumber: 12,
      path: FILE,
      message: expect.stringMatching(/^Pull request #12 open/),
    });
    expect(pending.branch).toMatch(/^kratix\//);

    // The documented call: POST /repos/{owner}/{repo}/pulls with title, head, base and body.
    expect(created).toBeDefined();
    expect(created!.body).toEqual({
      title: `Request redis default/${NAME} for ${CHECKOUT}`,
      head: pending.branch,
      base: 'main',
      body: expect.stringContaining(`Kratix-Request-Id: ${pending.id}`),
    });
    expect(created!.headers.authorization).toBe(`token ${TOKEN}`);

    // On the real Git server: the branch holds the manifest; main is untouched until review.
    expect(await git('rev-parse', 'main')).toBe(mainBefore);
    expect(await git('rev-parse', pending.branch)).toBe(pending.commitSha);
    const manifest = parseYaml(await git('show', `${pending.branch}:${FILE}`));
    expect(manifest.metadata.annotations['kratix.backstage.io/request-id']).toBe(
      pending.id,
    );

    const row = await backend
      .kratixDatabase('kratix_requests')
      .where({ id: pending.id })
      .first();
    expect(row).toMatchObject({
      state: 'pending',
      pull_request_url: PR_URL,
      pull_request_number: 12,
      branch: pending.branch,
      commit_sha: pending.commitSha,
    });

    // The reviewer closes it unmerged: the scheduled check asks GitHub and the request is closed.
    prState = 'closed';
    const checks = scheduler.runs('kratix', 'kratix-requests-check');
    await eventually(async () => {
      // At least one whole check after the change.
      if (scheduler.runs('kratix', 'kratix-requests-check') < checks + 2) {
        return undefined;
      }
      const r = await backend
        .kratixDatabase('kratix_requests')
        .where({ id: pending.id })
        .first();
      return r?.state === 'closed' ? true : undefined;
    }, 'the closed pull request to close the request');
    const tab = await request(backend.server)
      .get('/api/kratix/entities/component/default/checkout-service/resources')
      .set('Authorization', guest);
    expect(tab.body.requests).toEqual([
      expect.objectContaining({
        id: pending.id,
        state: 'closed',
        message: 'Pull request #12 was closed without merging',
      }),
    ]);
  });
});
