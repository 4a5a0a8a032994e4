/*
 * pull-request delivery on GitLab: the branch and the manifest are pushed for real (a loopback
 * "GitLab" proxies Git to the sandbox's Git server, accepting only oauth2 and the integration's
 * token), and the merge request is opened with the documented REST call (POST
 * /projects/:id/merge_requests, the project's URL-encoded path as id), answered with the documented
 * response (__fixtures__, with their doc URLs). A refused merge request takes its branch with it.
 */
import type { GitWrite } from './types';
import { branchHead, fileAt } from './__testUtils__/gitCli';
import {
  startLoopbackForge,
  type LoopbackForge,
  type RecordedApiCall,
} from '@kratix-backstage/sandbox/testUtils';
import {
  startSandboxRepository,
  type SandboxRepository,
} from './__testUtils__/sandboxRepository';
import { writerFor } from './__testUtils__/writerFor';
import createFixture from './__fixtures__/gitlab-merge-requests-create.json';
import getFixture from './__fixtures__/gitlab-merge-requests-get.json';
import exists from './__fixtures__/gitlab-merge-request-exists.json';

const TOKEN = 'glpat-test0123456789TOKEN';
const FILE = 'kratix-requests/sandbox/default/redis/orders-cache.yaml';
const MANIFEST = 'apiVersion: marketplace.kratix.io/v1alpha1\nkind: redis\n';

describe('GitRequestWriter, merge requests on GitLab', () => {
  jest.setTimeout(60_000);
  let repo: SandboxRepository;
  /** GitLab at the root of its host, and GitLab under a relative path (/gitlab). */
  let forge: LoopbackForge;
  let nested: LoopbackForge;

  const startForge = (repositoryPath: string) =>
    startLoopbackForge({
      upstream: repo.git.url,
      upstreamUsername: repo.git.username,
      upstreamToken: repo.git.token,
      repositoryPath,
      // How GitLab takes a token over Git's HTTP: user oauth2, the token as password.
      username: 'oauth2',
      password: TOKEN,
    });

  beforeAll(async () => {
    repo = await startSandboxRepository();
    forge = await startForge('/acme/platform/requests.git');
    nested = await startForge('/gitlab/acme/requests.git');
  });
  afterAll(async () => {
    await forge?.close();
    await nested?.close();
    await repo?.close();
  });
  beforeEach(() => {
    for (const f of [forge, nested]) {
      f.apiCalls.length = 0;
      f.options.api = undefined;
    }
  });

  const writer = () =>
    writerFor({
      gitlab: [
        {
          host: forge.host,
          baseUrl: forge.origin,
          apiBaseUrl: `${forge.origin}/api/v4`,
          token: TOKEN,
        },
        {
          host: nested.host,
          baseUrl: `${nested.origin}/gitlab`,
          apiBaseUrl: `${nested.origin}/gitlab/api/v4`,
          token: TOKEN,
        },
      ],
    });

  const write = (repository: string, headBranch: string): GitWrite => ({
    mode: 'pull-request',
    repository,
    branch: 'main',
    headBranch,
    filePath: FILE,
    content: MANIFEST,
    message: 'Request redis default/orders-cache',
    author: { name: 'Ada Lovelace', email: 'ada@example.com' },
    pullRequest: {
      title: 'Request redis default/orders-cache',
      body: 'Requested by user:default/ada from Backstage.',
    },
  });

  const expectDocumentedCreate = (call: RecordedApiCall, path: string) => {
    expect(call.method).toBe(createFixture.request.method);
    expect(call.path).toBe(path);
    expect(call.headers.authorization).toBe(`Bearer ${TOKEN}`);
    expect(call.headers['content-type']).toMatch(/^application\/json/);
    for (const field of createFixture.request.requiredBody) {
      expect(call.body).toHaveProperty(field);
    }
    const documented = [
      ...createFixture.request.requiredBody,
      ...createFixture.request.optionalBody,
    ];
    expect(Object.keys(call.body).filter(k => !documented.includes(k))).toEqual(
      [],
    );
  };

  it('pushes the branch with the manifest and opens the merge request with the documented call', async () => {
    forge.options.api = () => ({
      status: createFixture.status,
      body: createFixture.body,
    });
    const mainBefore = await branchHead(repo.git.repositoryDir, 'main');

    const result = await writer().writer.write(
      write(forge.cloneUrl, 'kratix/req-1'),
    );

    const head = await branchHead(repo.git.repositoryDir, 'kratix/req-1');
    expect(result).toEqual({
      commitSha: head,
      branch: 'kratix/req-1',
      commitUrl: `${forge.origin}/acme/platform/requests/-/commit/${head}`,
      pullRequestUrl: createFixture.body.web_url,
      pullRequestNumber: createFixture.body.iid,
    });
    expect(await fileAt(repo.git.repositoryDir, 'kratix/req-1', FILE)).toBe(
      MANIFEST,
    );
    expect(await branchHead(repo.git.repositoryDir, 'main')).toBe(mainBefore);

    expect(forge.apiCalls).toHaveLength(1);
    expectDocumentedCreate(
      forge.apiCalls[0],
      '/api/v4/projects/acme%2Fplatform%2Frequests/merge_requests',
    );
    expect(forge.apiCalls[0].body).toEqual({
      source_branch: 'kratix/req-1',
      target_branch: 'main',
      title: 'Request redis default/orders-cache',
      description: 'Requested by user:default/ada from Backstage.',
      remove_source_branch: true,
    });
    expect(repo.leftovers()).toEqual([]);
  });

  it('finds the project path under a GitLab served from a relative path', async () => {
    nested.options.api = () => ({
      status: createFixture.status,
      body: createFixture.body,
    });
    const result = await writer().writer.write(
      write(nested.cloneUrl, 'kratix/req-nested'),
    );
    expect(result.pullRequestNumber).toBe(createFixture.body.iid);
    expectDocumentedCreate(
      nested.apiCalls[0],
      '/gitlab/api/v4/projects/acme%2Frequests/merge_requests',
    );
  });

  it('asks GitLab where a merge request stands', async () => {
    let state = 'opened';
    forge.options.api = () => ({
      status: getFixture.status,
      body: { ...getFixture.body, state },
    });
    const { writer: w } = writer();
    const ask = () =>
      w.pullRequestState(
        forge.cloneUrl,
        `${forge.origin}/acme/platform/requests/-/merge_requests/7`,
      );

    expect(await ask()).toBe('open');
    expect(forge.apiCalls[0]).toMatchObject({
      method: getFixture.request.method,
      path: '/api/v4/projects/acme%2Fplatform%2Frequests/merge_requests/7',
    });
    expect(forge.apiCalls[0].headers.authorization).toBe(`Bearer ${TOKEN}`);
    state = 'locked';
    expect(await ask()).toBe('open');
    state = 'merged';
    expect(await ask()).toBe('merged');
    state = 'closed';
    expect(await ask()).toBe('closed');
    forge.options.api = () => ({
      status: 404,
      body: { message: '404 Not found' },
    });
    expect(await ask()).toBe('unknown');
  });

  it('deletes the pushed branch and answers 502 when GitLab refuses the merge request', async () => {
    forge.options.api = () => ({ status: exists.status, body: exists.body });
    const error = await writer()
      .writer.write(write(forge.cloneUrl, 'kratix/req-2'))
      .catch(e => e);

    expect(error).toMatchObject({
      name: 'KratixDeliveryError',
      statusCode: 502,
    });
    expect(error.message).toBe(
      `Could not open a pull request for kratix/req-2 on ${forge.cloneUrl}: GitLab answered 409: Another open merge request already exists for this source branch: !1`,
    );
    expect(
      await branchHead(repo.git.repositoryDir, 'kratix/req-2'),
    ).toBeUndefined();
    expect(repo.leftovers()).toEqual([]);
  });
});
