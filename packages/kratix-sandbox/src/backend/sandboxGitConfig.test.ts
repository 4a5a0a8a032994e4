/*
 * `kratix.sandbox.git` in app-config: off unless enabled (the sandbox is as before), and when
 * enabled the embedded sandbox serves the requests repository with the configured credentials and
 * syncs the configured branch and folder; a bad value stops the backend naming the key.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  describeWithGit,
  GitWorkTree,
  withCredentials,
} from '../__testUtils__/git';
import { startSandboxBackend as startWith } from '../__testUtils__/sandboxBackend';

const REDIS = `apiVersion: marketplace.kratix.io/v1alpha1
kind: redis
metadata:
  name: NAME
spec:
  size: small
`;

describe('kratix.sandbox.git', () => {
  jest.setTimeout(60_000);

  it.each([{}, { git: { enabled: false, port: 0 } }])(
    'is off unless enabled (%p)',
    async config => {
      const { backend, sandbox } = await startWith({ seed: false, ...config });
      try {
        expect(sandbox.url).toMatch(/^https:/);
        expect(sandbox.git).toBeUndefined();
      } finally {
        await backend.stop();
      }
    },
  );
});

describeWithGit('kratix.sandbox.git, enabled', () => {
  jest.setTimeout(60_000);
  const dirs: string[] = [];
  afterAll(() => {
    for (const dir of dirs) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('serves the repository with the configured credentials, syncs the configured branch and folder, and keeps the repository across a restart', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kratix-git-config-'));
    dirs.push(dir);
    const git = {
      enabled: true,
      username: 'platform',
      token: 'git-secret',
      branch: 'requests',
      path: 'platform/',
      intervalSeconds: 0,
      repositoryDir: path.join(dir, 'requests.git'),
    };
    const first = await startWith({ git });
    let commit: string;
    try {
      expect(first.sandbox.git).toMatchObject({
        url: expect.stringMatching(
          /^http:\/\/127\.0\.0\.1:\d+\/requests\.git$/,
        ),
        username: 'platform',
        token: 'git-secret',
        branch: 'requests',
        path: 'platform',
        intervalSeconds: 0,
        repositoryDir: git.repositoryDir,
      });
      const url = withCredentials(
        first.sandbox.git!.url,
        'platform',
        'git-secret',
      );
      const tree = await GitWorkTree.clone(url);
      dirs.push(path.dirname(tree.dir));
      expect(await tree.ok('rev-parse', '--abbrev-ref', 'HEAD')).toBe(
        'requests',
      );
      tree.write('platform/synced.yaml', REDIS.replace('NAME', 'synced'));
      // Outside the configured folder: not the sync's business.
      tree.write(
        'kratix-requests/ignored.yaml',
        REDIS.replace('NAME', 'ignored'),
      );
      commit = await tree.commitAll('Two requests, one in the synced folder');
      await tree.ok('push', '--quiet', 'origin', 'HEAD:requests');

      const result = await first.sandbox.git!.sync();
      expect(result).toMatchObject({ revision: commit, errors: [] });
      expect(result.changes).toEqual([
        expect.objectContaining({
          path: 'platform/synced.yaml',
          name: 'synced',
          action: 'created',
        }),
      ]);
    } finally {
      await first.backend.stop();
    }

    // The same folder again: the repository and its branch are as they were pushed.
    const second = await startWith({ git });
    try {
      const tree = await GitWorkTree.clone(
        withCredentials(second.sandbox.git!.url, 'platform', 'git-secret'),
      );
      dirs.push(path.dirname(tree.dir));
      expect(await tree.ok('rev-parse', 'HEAD')).toBe(commit);
    } finally {
      await second.backend.stop();
    }
  });

  it.each([
    [
      { intervalSeconds: -1 },
      'Invalid config kratix.sandbox.git.intervalSeconds: must be 0 (on demand only) or a positive number of seconds, got -1',
    ],
    [
      { branch: 'no..dots' },
      'Invalid config kratix.sandbox.git.branch: is not a valid branch name: "no..dots"',
    ],
    [
      { path: '../outside' },
      'Invalid config kratix.sandbox.git.path: must stay inside the repository, got "../outside"',
    ],
  ])('stops the backend naming the key (%p)', async (git, message) => {
    await expect(
      startWith({ seed: false, git: { enabled: true, ...git } }),
    ).rejects.toThrow(message);
  });
});
