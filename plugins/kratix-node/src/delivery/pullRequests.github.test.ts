/*
 * pull-request delivery on GitHub: the branch and the manifest are pushed for real (a loopback
 * "GitHub" proxies Git to the sandbox's Git server, accepting only x-access-token and the
 * integration's token), and the pull request is opened with the documented call, answered with the
 * documented response (__fixtures__, with their doc URLs). A refused pull request takes its branch
 * with it; a branch that exists already is a 409 and no pull request.
 */
import { ConflictError } from '@backstage/errors';
import type { GitWrite } from './types';
import { branchHead, fileAt, inRepository } from './__testUtils__/gitCli';
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
import createFixture from './__fixtures__/github-pulls-create.json';
import getFixture from './__fixtures__/github-pulls-get.json';
import validationFailed from './__fixtures__/github-validation-failed.json';

const TOKEN = 'ghp_test0123456789abcdefTOKEN';
const FILE = 'kratix-requests/sandbox/default/redis/orders-cache.yaml';
const MANIFEST = 'apiVersion: marketplace.kratix.io/v1alpha1\nkind: redis\n';
const PULLS = '/api/v3/repos/acme/platform-requests/pulls';

describe('GitRequestWriter, pull requests on GitHub', () => {
  jest.setTimeout(60_000);
  let repo: SandboxRepository;
  let forge: LoopbackForge;

  beforeAll(async () => {
    repo = await startSandboxRepository();
    forge = await startLoopbackForge({
      upstream: repo.git.url,
      upstreamUsername: repo.git.username,
      upstreamToken: repo.git.token,
      repositoryPath: '/acme/platform-requests.git',
      // How GitHub takes a token over Git's HTTP: user x-access-token, the token as password.
      username: 'x-access-token',
      password: TOKEN,
    });
  });
  afterAll(async () => {
    await forge?.close();
    await repo?.close();
  });
  beforeEach(() => {
    forge.apiCalls.length = 0;
    forge.options.api = undefined;
  });

  const writer = () =>
    writerFor({
      github: [
        {
          host: forge.host,
          apiBaseUrl: `${forge.origin}/api/v3`,
          token: TOKEN,
        },
      ],
    });

  const write = (headBranch: string): GitWrite => ({
    mode: 'pull-request',
    repository: forge.cloneUrl,
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

  /** The documented request: POST /repos/{owner}/{repo}/pulls, token auth, a JSON body of documented fields. */
  const expectDocumentedCreate = (call: RecordedApiCall) => {
    expect(call.method).toBe(createFixture.request.method);
    expect(call.path).toBe(PULLS);
    expect(call.headers.authorization).toBe(`token ${TOKEN}`);
    expect(call.headers.accept).toMatch(/^application\/vnd\.github/);
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

  it('pushes the branch with the manifest and opens the pull request with the documented call', async () => {
    forge.options.api = () => ({
      status: createFixture.status,
      body: createFixture.body,
    });
    const mainBefore = await branchHead(repo.git.repositoryDir, 'main');

    const result = await writer().writer.write(write('kratix/req-1'));

    const head = await branchHead(repo.git.repositoryDir, 'kratix/req-1');
    expect(result).toEqual({
      commitSha: head,
      branch: 'kratix/req-1',
      commitUrl: `${forge.origin}/acme/platform-requests/commit/${head}`,
      pullRequestUrl: createFixture.body.html_url,
      pullRequestNumber: createFixture.body.number,
    });
    // The branch holds the manifest on top of main; main itself is untouched.
    expect(await fileAt(repo.git.repositoryDir, 'kratix/req-1', FILE)).toBe(
      MANIFEST,
    );
    expect(
      await inRepository(
        repo.git.repositoryDir,
        'log',
        '-1',
        '--format=%an <%ae>|%P',
        'kratix/req-1',
      ),
    ).toBe(`Ada Lovelace <ada@example.com>|${mainBefore}`);
    expect(await branchHead(repo.git.repositoryDir, 'main')).toBe(mainBefore);

    expect(forge.apiCalls).toHaveLength(1);
    expectDocumentedCreate(forge.apiCalls[0]);
    expect(forge.apiCalls[0].body).toEqual({
      title: 'Request redis default/orders-cache',
      body: 'Requested by user:default/ada from Backstage.',
      head: 'kratix/req-1',
      base: 'main',
    });
    expect(repo.leftovers()).toEqual([]);
  });

  it('asks GitHub where a pull request stands: open, merged, closed, or unknown when it cannot tell', async () => {
    let answer: { status: number; body: unknown } = {
      status: 200,
      body: getFixture.body,
    };
    forge.options.api = () => answer;
    const { writer: w, logger } = writer();
    const ask = () =>
      w.pullRequestState(
        forge.cloneUrl,
        'https://github.com/acme/platform-requests/pull/1347',
      );

    expect(await ask()).toBe('open');
    expect(forge.apiCalls[0]).toMatchObject({
      method: getFixture.request.method,
      path: `${PULLS}/1347`,
    });
    expect(forge.apiCalls[0].headers.authorization).toBe(`token ${TOKEN}`);

    answer = {
      status: 200,
      body: {
        ...getFixture.body,
        state: 'closed',
        merged: true,
        merged_at: '2011-01-26T19:01:12Z',
        closed_at: '2011-01-26T19:01:12Z',
      },
    };
    expect(await ask()).toBe('merged');

    answer = {
      status: 200,
      body: {
        ...getFixture.body,
        state: 'closed',
        merged: false,
        merged_at: null,
        closed_at: '2011-01-26T19:01:12Z',
      },
    };
    expect(await ask()).toBe('closed');

    answer = { status: 404, body: { message: 'Not Found' } };
    expect(await ask()).toBe('unknown');
    expect(logger.warn).toHaveBeenCalledWith(
      expect.stringContaining('Could not ask where'),
    );
    for (const [message] of logger.warn.mock.calls) {
      expect(message).not.toContain(TOKEN);
    }

    // A URL without a pull request number is not asked about.
    const calls = forge.apiCalls.length;
    expect(
      await w.pullRequestState(forge.cloneUrl, 'https://github.com/acme/x'),
    ).toBe('unknown');
    expect(forge.apiCalls).toHaveLength(calls);
  });

  it('deletes the pushed branch and answers 502 when GitHub refuses the pull request', async () => {
    forge.options.api = () => ({
      status: validationFailed.status,
      body: validationFailed.body,
    });
    const error = await writer()
      .writer.write(write('kratix/req-2'))
      .catch(e => e);

    expect(error).toMatchObject({
      name: 'KratixDeliveryError',
      statusCode: 502,
      repository: forge.cloneUrl,
    });
    expect(error.message).toMatch(
      new RegExp(
        `^Could not open a pull request for kratix/req-2 on ${forge.cloneUrl.replace(
          /\./g,
          '\\.',
        )}: GitHub answered 422: Validation Failed`,
      ),
    );
    expect(error.message).toContain(
      'A pull request already exists for octocat:new-topic.',
    );
    expect(error.message).not.toContain(TOKEN);
    expectDocumentedCreate(forge.apiCalls[0]);
    // Nothing half-done: the branch went with the pull request.
    expect(
      await branchHead(repo.git.repositoryDir, 'kratix/req-2'),
    ).toBeUndefined();
    expect(repo.leftovers()).toEqual([]);
  });

  it('answers 409 when the branch exists already, even at the base, and opens no pull request', async () => {
    forge.options.api = () => ({
      status: createFixture.status,
      body: createFixture.body,
    });
    await inRepository(
      repo.git.repositoryDir,
      'branch',
      'kratix/req-3',
      'main',
    );
    const before = await branchHead(repo.git.repositoryDir, 'kratix/req-3');

    const error = await writer()
      .writer.write(write('kratix/req-3'))
      .catch(e => e);

    expect(error).toBeInstanceOf(ConflictError);
    expect(error.message).toBe(
      `The branch kratix/req-3 already exists in ${forge.cloneUrl}`,
    );
    expect(await branchHead(repo.git.repositoryDir, 'kratix/req-3')).toBe(
      before,
    );
    expect(forge.apiCalls).toEqual([]);
  });

  it('answers 502 without the token when GitHub refuses the credentials for the push', async () => {
    const { writer: w } = writerFor({
      github: [
        {
          host: forge.host,
          apiBaseUrl: `${forge.origin}/api/v3`,
          token: 'ghp_wrong0123456789',
        },
      ],
    });
    const error = await w.write(write('kratix/req-4')).catch(e => e);
    expect(error).toMatchObject({
      name: 'KratixDeliveryError',
      statusCode: 502,
    });
    expect(error.message).toContain(forge.cloneUrl);
    expect(error.message).not.toContain('ghp_wrong0123456789');
    expect(forge.apiCalls).toEqual([]);
  });
});
