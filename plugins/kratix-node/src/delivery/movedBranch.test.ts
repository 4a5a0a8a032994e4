/*
 * A branch that moves between the clone and the push (someone else pushed): the writer clones again
 * and retries once, so the request lands on top of the other commit; when it moves again, 409. Both
 * ways a move shows are covered: the advertisement the push starts with already shows it (the
 * client's fast-forward check), or it happens after the advertisement (the server refuses to update
 * the ref). The competing pushes are real pushes to the sandbox's Git server, made from a proxy in
 * front of it at those exact points of the protocol.
 */
import { ConflictError } from '@backstage/errors';
import type { GitWrite } from './types';
import {
  branchHead,
  fileAt,
  inRepository,
  pushCompetingCommit,
  withCredentials,
} from './__testUtils__/gitCli';
import {
  startLoopbackForge,
  type GitRequestInfo,
  type LoopbackForge,
} from '@kratix-backstage/sandbox/testUtils';
import {
  startSandboxRepository,
  type SandboxRepository,
} from './__testUtils__/sandboxRepository';
import { writerFor } from './__testUtils__/writerFor';

describe('GitRequestWriter, a branch that moved under the push', () => {
  jest.setTimeout(90_000);
  let repo: SandboxRepository;
  let forge: LoopbackForge;
  let competing = 0;

  beforeAll(async () => {
    repo = await startSandboxRepository();
    forge = await startLoopbackForge({
      upstream: repo.git.url,
      upstreamUsername: repo.git.username,
      upstreamToken: repo.git.token,
      repositoryPath: '/platform/requests.git',
      username: 'backstage',
      password: 'forge-password-123',
    });
  });
  afterAll(async () => {
    await forge?.close();
    await repo?.close();
  });
  afterEach(() => {
    forge.options.beforeGit = undefined;
  });

  const writer = () =>
    writerFor({
      gitea: [
        {
          host: forge.host,
          baseUrl: forge.origin,
          username: 'backstage',
          password: 'forge-password-123',
        },
      ],
    });

  const write = (filePath: string): GitWrite => ({
    mode: 'gitops',
    repository: forge.cloneUrl,
    branch: 'main',
    filePath,
    content: `kind: Example\nmetadata:\n  name: ${filePath}\n`,
    message: `Request ${filePath}`,
    author: { name: 'Ada Lovelace', email: 'ada@example.com' },
  });

  /** Someone else's commit on main, pushed straight to the sandbox (not through the proxy). */
  const competingPush = () =>
    pushCompetingCommit(
      withCredentials(repo.git.url, repo.git.username, repo.git.token),
      'main',
      `elsewhere/competing-${++competing}.txt`,
      `competing change ${competing}\n`,
    );

  /** Pushes a competing commit before the first `times` requests matching `when`. */
  const moveBranch = (
    when: (info: GitRequestInfo) => boolean,
    times: number,
  ) => {
    const pushed: string[] = [];
    forge.options.beforeGit = async info => {
      if (when(info) && pushed.length < times) {
        pushed.push(await competingPush());
      }
    };
    return pushed;
  };
  const receivePackAdvertisement = (info: GitRequestInfo) =>
    info.endpoint === 'info/refs' && info.service === 'git-receive-pack';
  const receivePackUpdate = (info: GitRequestInfo) =>
    info.endpoint === 'git-receive-pack' && info.method === 'POST';

  it('clones again and lands on top when the branch moved before the push started', async () => {
    const pushed = moveBranch(receivePackAdvertisement, 1);
    const { writer: w, logger } = writer();
    const from = forge.gitRequests.length;
    const result = await w.write(write('kratix-requests/a.yaml'));

    expect(pushed).toHaveLength(1);
    // The client saw the move in the advertisement: the first attempt sent no update at all.
    expect(
      forge.gitRequests.slice(from).filter(receivePackUpdate),
    ).toHaveLength(1);
    const head = await branchHead(repo.git.repositoryDir, 'main');
    expect(result.commitSha).toBe(head);
    // Ours is a child of the competing commit: nothing of theirs was lost.
    expect(
      await inRepository(repo.git.repositoryDir, 'rev-parse', `${head}^`),
    ).toBe(pushed[0]);
    expect(
      await fileAt(repo.git.repositoryDir, 'main', 'kratix-requests/a.yaml'),
    ).toContain('kind: Example');
    expect(
      await fileAt(repo.git.repositoryDir, 'main', 'elsewhere/competing-1.txt'),
    ).toBe('competing change 1\n');
    expect(logger.info).toHaveBeenCalledWith(
      expect.stringContaining(
        'moved while committing kratix-requests/a.yaml; cloning again',
      ),
    );
    expect(repo.leftovers()).toEqual([]);
  });

  it('clones again when the branch moved after the advertisement (the server refuses the update)', async () => {
    const pushed = moveBranch(receivePackUpdate, 1);
    const from = forge.gitRequests.length;
    const result = await writer().writer.write(write('kratix-requests/b.yaml'));

    expect(pushed).toHaveLength(1);
    // Two updates sent: the server refused the first (its old value was no longer the branch's).
    expect(
      forge.gitRequests.slice(from).filter(receivePackUpdate),
    ).toHaveLength(2);
    const head = await branchHead(repo.git.repositoryDir, 'main');
    expect(result.commitSha).toBe(head);
    expect(
      await inRepository(repo.git.repositoryDir, 'rev-parse', `${head}^`),
    ).toBe(pushed[0]);
    expect(repo.leftovers()).toEqual([]);
  });

  it('answers 409 when the branch moves again on the retry, and leaves the branch as the other pushes made it', async () => {
    const pushed = moveBranch(receivePackAdvertisement, 2);
    const error = await writer()
      .writer.write(write('kratix-requests/c.yaml'))
      .catch(e => e);

    expect(error).toBeInstanceOf(ConflictError);
    expect(error.message).toBe(
      `main of ${forge.cloneUrl} kept moving while the request was committed; try again`,
    );
    expect(pushed).toHaveLength(2);
    expect(await branchHead(repo.git.repositoryDir, 'main')).toBe(pushed[1]);
    expect(
      await fileAt(repo.git.repositoryDir, 'main', 'kratix-requests/c.yaml'),
    ).toBeUndefined();
    expect(repo.leftovers()).toEqual([]);
  });

  it('writes one request after another when they are asked for at once (no conflict with itself)', async () => {
    const { writer: w } = writer();
    const results = await Promise.all(
      ['d', 'e', 'f'].map(name =>
        w.write(write(`kratix-requests/${name}.yaml`)),
      ),
    );
    const log = (
      await inRepository(
        repo.git.repositoryDir,
        'log',
        '--format=%H',
        '-3',
        'main',
      )
    ).split('\n');
    expect(new Set(log)).toEqual(new Set(results.map(r => r.commitSha)));
    for (const name of ['d', 'e', 'f']) {
      expect(
        await fileAt(
          repo.git.repositoryDir,
          'main',
          `kratix-requests/${name}.yaml`,
        ),
      ).toContain('kind: Example');
    }
  });
});
