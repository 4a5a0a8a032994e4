/*
 * gitops delivery against the sandbox's real Git server (smart HTTP, basic auth, `git http-backend`):
 * the commit lands on the branch at the path with the content, authored by the requesting user; an
 * update and a delete change and remove the file; and every refusal (wrong token, a hook, a server
 * that is not there) is a 502 naming the repository and never the token, with the branch unchanged.
 */
import fs from 'node:fs';
import path from 'node:path';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { GitWrite } from './types';
import { branchHead, fileAt, inRepository } from './__testUtils__/gitCli';
import {
  startSandboxRepository,
  type SandboxRepository,
} from './__testUtils__/sandboxRepository';
import { writerFor } from './__testUtils__/writerFor';

const FILE = 'kratix-requests/sandbox/default/redis/orders-cache.yaml';
const MANIFEST = [
  'apiVersion: marketplace.kratix.io/v1alpha1',
  'kind: redis',
  'metadata:',
  '  name: orders-cache',
  '  namespace: default',
  '  annotations:',
  '    kratix.backstage.io/request-id: req-1',
  'spec:',
  '  size: small',
  '',
].join('\n');

describe('GitRequestWriter, gitops, on the sandbox Git server', () => {
  jest.setTimeout(60_000);
  let repo: SandboxRepository;

  beforeAll(async () => {
    repo = await startSandboxRepository();
  });
  afterAll(async () => {
    await repo?.close();
  });

  const write = (overrides: Partial<GitWrite> = {}): GitWrite => ({
    mode: 'gitops',
    repository: repo.git.url,
    branch: 'main',
    filePath: FILE,
    content: MANIFEST,
    message: 'Request redis default/orders-cache',
    author: { name: 'Ada Lovelace', email: 'ada@example.com' },
    ...overrides,
  });

  it('commits the manifest at the path on the branch, authored by the requesting user', async () => {
    const before = await branchHead(repo.git.repositoryDir, 'main');
    const result = await repo.giteaWriter().write(write());

    const head = await branchHead(repo.git.repositoryDir, 'main');
    expect(result).toEqual({
      commitSha: head,
      branch: 'main',
      // Gitea's page for a commit, from the clone URL without .git.
      commitUrl: `${repo.git.url.replace(/\.git$/, '')}/commit/${head}`,
    });
    expect(await fileAt(repo.git.repositoryDir, 'main', FILE)).toBe(MANIFEST);
    expect(
      await inRepository(
        repo.git.repositoryDir,
        'log',
        '-1',
        '--format=%an <%ae>|%cn <%ce>|%s|%P',
        'main',
      ),
    ).toBe(
      `Ada Lovelace <ada@example.com>|Ada Lovelace <ada@example.com>|Request redis default/orders-cache|${before}`,
    );
    // One file changed, nothing else.
    expect(
      await inRepository(
        repo.git.repositoryDir,
        'diff-tree',
        '--no-commit-id',
        '--name-status',
        '-r',
        'main',
      ),
    ).toBe(`A\t${FILE}`);
    expect(repo.leftovers()).toEqual([]);
  });

  it('fills in a commit URL template, and the sandbox serves the page it names', async () => {
    const result = await repo.giteaWriter().write(
      write({
        filePath: 'kratix-requests/sandbox/default/redis/templated.yaml',
        commitUrlTemplate: '{repository}.git/commit/{sha}',
      }),
    );
    expect(result.commitUrl).toBe(`${repo.git.url}/commit/${result.commitSha}`);
    const page = await fetch(result.commitUrl!, {
      headers: {
        Authorization: `Basic ${Buffer.from(
          `${repo.git.username}:${repo.git.token}`,
        ).toString('base64')}`,
      },
    });
    expect(page.status).toBe(200);
    expect(await page.text()).toContain(`commit ${result.commitSha}`);
  });

  it('updates the file, and deletes it', async () => {
    const writer = repo.giteaWriter();
    const changed = MANIFEST.replace('size: small', 'size: large');
    const update = await writer.write(
      write({ content: changed, message: 'Update redis default/orders-cache' }),
    );
    expect(await fileAt(repo.git.repositoryDir, update.commitSha, FILE)).toBe(
      changed,
    );
    expect(
      await inRepository(
        repo.git.repositoryDir,
        'diff-tree',
        '--no-commit-id',
        '--name-status',
        '-r',
        update.commitSha,
      ),
    ).toBe(`M\t${FILE}`);

    const removal = await writer.write(
      write({ content: null, message: 'Delete redis default/orders-cache' }),
    );
    expect(await branchHead(repo.git.repositoryDir, 'main')).toBe(
      removal.commitSha,
    );
    expect(await fileAt(repo.git.repositoryDir, 'main', FILE)).toBeUndefined();
    expect(
      await inRepository(
        repo.git.repositoryDir,
        'log',
        '-1',
        '--format=%an|%s',
        'main',
      ),
    ).toBe('Ada Lovelace|Delete redis default/orders-cache');
    expect(repo.leftovers()).toEqual([]);
  });

  it('answers NotFoundError for deleting a file that is not there, and commits nothing', async () => {
    const before = await branchHead(repo.git.repositoryDir, 'main');
    await expect(
      repo
        .giteaWriter()
        .write(write({ filePath: 'kratix-requests/nope.yaml', content: null })),
    ).rejects.toMatchObject({
      name: 'NotFoundError',
      message: expect.stringContaining('kratix-requests/nope.yaml'),
    });
    expect(await branchHead(repo.git.repositoryDir, 'main')).toBe(before);
    expect(repo.leftovers()).toEqual([]);
  });

  it('answers 502 for a wrong token, naming the repository and never the token', async () => {
    const before = await branchHead(repo.git.repositoryDir, 'main');
    const wrong = 'not-the-token-4f9c2a';
    const error = await repo
      .giteaWriter({ username: repo.git.username, password: wrong })
      .write(write({ filePath: 'kratix-requests/wrong-token.yaml' }))
      .catch(e => e);
    expect(error).toMatchObject({
      name: 'KratixDeliveryError',
      statusCode: 502,
      repository: repo.git.url,
    });
    expect(error.message).toContain(repo.git.url);
    expect(error.message).toMatch(/refused the credentials.*401/);
    expect(error.message).not.toContain(wrong);
    expect(error.message).not.toContain(repo.git.token);
    expect(await branchHead(repo.git.repositoryDir, 'main')).toBe(before);
    expect(repo.leftovers()).toEqual([]);
  });

  it("answers 502 with the server's reason when a hook refuses the push", async () => {
    const hook = path.join(repo.git.repositoryDir, 'hooks', 'pre-receive');
    fs.mkdirSync(path.dirname(hook), { recursive: true });
    fs.writeFileSync(
      hook,
      '#!/bin/sh\necho "policy: requests need a ticket number" >&2\nexit 1\n',
      { mode: 0o755 },
    );
    try {
      const before = await branchHead(repo.git.repositoryDir, 'main');
      const error = await repo
        .giteaWriter()
        .write(write({ filePath: 'kratix-requests/hooked.yaml' }))
        .catch(e => e);
      expect(error).toMatchObject({
        name: 'KratixDeliveryError',
        statusCode: 502,
      });
      expect(error.message).toContain(`Could not push to ${repo.git.url}`);
      expect(error.message).toContain('pre-receive hook declined');
      expect(error.message).toContain('policy: requests need a ticket number');
      expect(error.message).not.toContain(repo.git.token);
      expect(await branchHead(repo.git.repositoryDir, 'main')).toBe(before);
    } finally {
      fs.rmSync(hook);
    }
    expect(repo.leftovers()).toEqual([]);
  });

  it('answers 502 when the server cannot be reached', async () => {
    // A port that was free a moment ago and has nobody listening now.
    const probe = createServer();
    await new Promise<void>(resolve => probe.listen(0, '127.0.0.1', resolve));
    const { port } = probe.address() as AddressInfo;
    await new Promise<void>(resolve => probe.close(() => resolve()));
    const repository = `http://127.0.0.1:${port}/kratix-requests.git`;
    const { writer } = writerFor({
      gitea: [
        {
          host: `127.0.0.1:${port}`,
          baseUrl: `http://127.0.0.1:${port}`,
          username: 'kratix',
          password: 'secret-token-xyz',
        },
      ],
    });
    const error = await writer.write(write({ repository })).catch(e => e);
    expect(error).toMatchObject({
      name: 'KratixDeliveryError',
      statusCode: 502,
    });
    expect(error.message).toBe(
      `Could not clone ${repository}: the server could not be reached (ECONNREFUSED)`,
    );
    expect(repo.leftovers()).toEqual([]);
  });

  it('answers 502 for a branch the repository does not have, and rejects bad input before any Git work', async () => {
    const writer = repo.giteaWriter();
    await expect(
      writer.write(write({ branch: 'no-such-branch' })),
    ).rejects.toMatchObject({
      name: 'KratixDeliveryError',
      message: `Could not clone ${repo.git.url}: it has no branch no-such-branch`,
    });
    for (const bad of [
      { filePath: '../outside.yaml' },
      { filePath: '/absolute.yaml' },
      { filePath: '.git/config' },
      { branch: 'bad..branch' },
      { author: { name: '', email: 'x@example.com' } },
      { author: { name: 'Eve <eve@evil>', email: 'x@example.com' } },
      {
        repository: `http://kratix:${repo.git.token}@${
          new URL(repo.git.url).host
        }/kratix-requests.git`,
      },
    ]) {
      const error = await writer.write(write(bad)).catch(e => e);
      expect([bad, error.name]).toEqual([bad, 'InputError']);
      expect(error.message).not.toContain(repo.git.token);
    }
    expect(repo.leftovers()).toEqual([]);
  });
});
