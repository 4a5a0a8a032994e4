/*
 * The sandbox's requests repository over Git smart HTTP, with the real git: a first commit on the
 * branch, clone and push with the configured credentials, and every request without them (or with
 * wrong ones) refused with 401, changing nothing.
 */
import { request } from 'node:http';
import { execFileSync } from 'node:child_process';
import {
  describeWithGit,
  GitWorkTree,
  runGit,
  withCredentials,
} from '../__testUtils__/git';
import { startSandbox, type Sandbox } from '../sandbox';

/** Status and headers of one request to the Git server, with these basic-auth credentials. */
function httpStatus(
  url: string,
  method: 'GET' | 'POST',
  credentials?: [string, string],
): Promise<{ status: number; headers: Record<string, unknown> }> {
  return new Promise((resolve, reject) => {
    const req = request(url, {
      method,
      headers: {
        ...(credentials
          ? {
              Authorization: `Basic ${Buffer.from(
                credentials.join(':'),
              ).toString('base64')}`,
            }
          : {}),
        ...(method === 'POST'
          ? { 'Content-Type': 'application/x-git-receive-pack-request' }
          : {}),
      },
    });
    req.on('response', res => {
      res.resume();
      res.on('end', () =>
        resolve({ status: res.statusCode ?? 0, headers: res.headers }),
      );
    });
    req.on('error', reject);
    req.end(method === 'POST' ? '0000' : undefined);
  });
}

/** Status, content type and body of a GET to the Git server, with these basic-auth credentials. */
function httpGet(
  url: string,
  credentials?: [string, string],
): Promise<{ status: number; contentType?: string; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(url, {
      headers: credentials
        ? {
            Authorization: `Basic ${Buffer.from(credentials.join(':')).toString(
              'base64',
            )}`,
          }
        : {},
    });
    req.on('response', res => {
      const chunks: Buffer[] = [];
      res.on('data', chunk => chunks.push(chunk));
      res.on('end', () =>
        resolve({
          status: res.statusCode ?? 0,
          contentType: res.headers['content-type'],
          body: Buffer.concat(chunks).toString('utf8'),
        }),
      );
    });
    req.on('error', reject);
    req.end();
  });
}

describeWithGit("the sandbox's Git server", () => {
  jest.setTimeout(60_000);
  let sandbox: Sandbox;
  let git: NonNullable<Sandbox['git']>;
  const trees: GitWorkTree[] = [];
  const clone = async () => {
    const tree = await GitWorkTree.clone(
      withCredentials(git.url, git.username, git.token),
    );
    trees.push(tree);
    return tree;
  };
  /** What the server's branch points at, asked over HTTP with the credentials. */
  const remoteMain = async () => {
    const out = await runGit(process.cwd(), [
      'ls-remote',
      withCredentials(git.url, git.username, git.token),
      'refs/heads/main',
    ]);
    expect(out.code).toBe(0);
    return out.stdout.split('\t')[0];
  };

  beforeAll(async () => {
    sandbox = await startSandbox({
      seed: false,
      stepDelayMs: 20,
      git: { intervalSeconds: 0 },
    });
    await sandbox.ready;
    git = sandbox.git!;
  });
  afterAll(async () => {
    await sandbox?.close();
    for (const tree of trees) tree.remove();
  });

  it('serves a repository whose main branch has a first commit, on loopback with a random token', async () => {
    expect(git.url).toMatch(
      /^http:\/\/127\.0\.0\.1:\d+\/kratix-requests\.git$/,
    );
    expect(git).toMatchObject({
      username: 'kratix',
      branch: 'main',
      path: 'kratix-requests',
    });
    expect(git.token).toMatch(/^[0-9a-f]{48}$/);
    const tree = await clone();
    expect(await tree.ok('rev-parse', '--abbrev-ref', 'HEAD')).toBe('main');
    expect(await tree.ok('log', '--format=%an: %s')).toBe(
      'Kratix sandbox: Requests repository',
    );
    expect(await tree.ok('ls-files')).toBe('README.md');
  });

  it('takes a push with the credentials', async () => {
    const tree = await clone();
    tree.write('kratix-requests/note.yaml', '# nothing yet\n');
    const commit = await tree.commitAll('A first request folder');
    await tree.ok('push', '--quiet', 'origin', 'HEAD:main');
    expect(await remoteMain()).toBe(commit);
    // The bare repository itself holds it.
    expect(
      execFileSync('git', ['rev-parse', 'refs/heads/main'], {
        cwd: git.repositoryDir,
        encoding: 'utf8',
      }).trim(),
    ).toBe(commit);
  });

  it('shows a commit at <repository>/commit/<sha>, read-only and with the credentials', async () => {
    const tree = await clone();
    tree.write('notes/cache.txt', 'a note outside the synced folder\n');
    const commit = await tree.commitAll('A note');
    await tree.ok('push', '--quiet', 'origin', 'HEAD:main');
    const credentials: [string, string] = [git.username, git.token];

    const page = await httpGet(`${git.url}/commit/${commit}`, credentials);
    expect(page.status).toBe(200);
    expect(page.contentType).toBe('text/plain; charset=utf-8');
    expect(page.body).toContain(`commit ${commit}`);
    expect(page.body).toMatch(/^Author: {5}Ada Test <ada@example\.com>$/m);
    expect(page.body).toMatch(/^CommitDate: /m);
    expect(page.body).toContain('A note');
    expect(page.body).toMatch(/notes\/cache\.txt \| 1 \+/);
    // An abbreviated id is the same page.
    expect(
      (await httpGet(`${git.url}/commit/${commit.slice(0, 7)}`, credentials))
        .body,
    ).toBe(page.body);

    // The same credentials as the rest of the server.
    expect((await httpGet(`${git.url}/commit/${commit}`)).status).toBe(401);
    expect(
      (await httpGet(`${git.url}/commit/${commit}`, [git.username, 'wrong']))
        .status,
    ).toBe(401);
    // Only commit ids: unknown ones, refs, options, a blob's id and non-hex are 404.
    const blob = await tree.ok('rev-parse', 'HEAD:notes/cache.txt');
    for (const sha of [
      '0000000000000000000000000000000000000000',
      'main',
      'HEAD',
      '--help',
      '%2D%2Dhelp',
      blob,
      commit.toUpperCase(),
      `${commit}x`,
      'abc12',
    ]) {
      expect([
        sha,
        (await httpGet(`${git.url}/commit/${sha}`, credentials)).status,
      ]).toEqual([sha, 404]);
    }
    expect(
      (await httpStatus(`${git.url}/commit/${commit}`, 'POST', credentials))
        .status,
    ).toBe(405);
  });

  it('answers 401 to anonymous and wrong credentials, for reading and pushing', async () => {
    const receive = `${git.url}/info/refs?service=git-receive-pack`;
    const upload = `${git.url}/info/refs?service=git-upload-pack`;
    for (const url of [receive, upload]) {
      const anonymous = await httpStatus(url, 'GET');
      expect(anonymous.status).toBe(401);
      expect(anonymous.headers['www-authenticate']).toMatch(/^Basic realm=/);
      expect(
        (await httpStatus(url, 'GET', [git.username, 'wrong'])).status,
      ).toBe(401);
      expect(
        (await httpStatus(url, 'GET', ['someone', git.token])).status,
      ).toBe(401);
      expect(
        (await httpStatus(url, 'GET', [git.username, git.token])).status,
      ).toBe(200);
    }
    // The pack upload itself, without going through the advertisement first.
    expect(
      (await httpStatus(`${git.url}/git-receive-pack`, 'POST')).status,
    ).toBe(401);
    expect(
      (
        await httpStatus(`${git.url}/git-receive-pack`, 'POST', [
          git.username,
          'wrong',
        ])
      ).status,
    ).toBe(401);
  });

  it('refuses a push without credentials or with wrong ones, and the branch stays as it was', async () => {
    const before = await remoteMain();
    const tree = await clone();
    tree.write('kratix-requests/sneaky.yaml', 'kind: Anything\n');
    await tree.commitAll('Not allowed');

    const anonymous = await tree.git('push', git.url, 'HEAD:main');
    expect(anonymous.code).not.toBe(0);
    // git asks for a user name after the 401, and may not (no terminal).
    expect(anonymous.stderr).toMatch(
      /could not read Username|Authentication failed/,
    );

    const wrong = await tree.git(
      'push',
      withCredentials(git.url, git.username, 'not-the-token'),
      'HEAD:main',
    );
    expect(wrong.code).not.toBe(0);
    expect(wrong.stderr).toMatch(/Authentication failed/);

    expect(await remoteMain()).toBe(before);
    // Nothing to sync either: the branch holds no object.
    const result = await git.sync();
    expect(result).toMatchObject({ revision: before, changes: [], errors: [] });
  });

  it('serves only the smart endpoints of its one repository', async () => {
    const credentials: [string, string] = [git.username, git.token];
    const origin = new URL(git.url).origin;
    for (const path of [
      '/kratix-requests.git/HEAD',
      '/kratix-requests.git/config',
      '/kratix-requests.git/objects/info/packs',
      '/other.git/info/refs?service=git-upload-pack',
      '/kratix-requests.git/../kratix-requests.git/config',
      '/kratix-requests.git/%2e%2e/x/info/refs?service=git-upload-pack',
    ]) {
      expect([
        path,
        (await httpStatus(`${origin}${path}`, 'GET', credentials)).status,
      ]).toEqual([path, 404]);
    }
  });
});
