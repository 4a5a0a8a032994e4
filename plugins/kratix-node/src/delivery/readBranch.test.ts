/*
 * Reading a branch back (what the request tracker asks in gitops mode) against the sandbox's real Git
 * server: the text at each path at the branch's head, undefined where no file is (removed by someone
 * else's real commit, never there, or a folder), nothing left in the temp folder; a branch whose
 * head has not moved is not cloned again; a repository that cannot be read is a 502 naming it and
 * never the credentials.
 */
import { KratixDeliveryError } from './KratixDeliveryError';
import {
  branchHead,
  pushCompetingCommit,
  withCredentials,
} from './__testUtils__/gitCli';
import {
  startSandboxRepository,
  type SandboxRepository,
} from './__testUtils__/sandboxRepository';

const FOLDER = 'kratix-requests/sandbox/default/redis';
const KEPT = `${FOLDER}/read-kept.yaml`;
const REMOVED = `${FOLDER}/read-removed.yaml`;

describe('GitRequestWriter.readBranch, on the sandbox Git server', () => {
  jest.setTimeout(60_000);
  let repo: SandboxRepository;

  beforeAll(async () => {
    repo = await startSandboxRepository();
  });
  afterAll(async () => {
    await repo?.close();
  });

  const write = (filePath: string, content: string | null) =>
    repo.giteaWriter().write({
      mode: 'gitops',
      repository: repo.git.url,
      branch: 'main',
      filePath,
      content,
      message: `Change ${filePath}`,
      author: { name: 'Ada Lovelace', email: 'ada@example.com' },
    });

  it("reads each path at the branch's head, and sees a file someone else removed as gone", async () => {
    await write(KEPT, 'kind: redis\nmetadata:\n  name: read-kept\n');
    await write(REMOVED, 'kind: redis\nmetadata:\n  name: read-removed\n');
    // Someone else's commit, pushed with git, removes one of them.
    const removal = await pushCompetingCommit(
      withCredentials(repo.git.url, repo.git.username, repo.git.token),
      'main',
      REMOVED,
      null,
    );
    expect(await branchHead(repo.git.repositoryDir, 'main')).toBe(removal);

    const read = await repo
      .giteaWriter()
      .readBranch(repo.git.url, 'main', [
        KEPT,
        REMOVED,
        KEPT,
        `${FOLDER}/never-there.yaml`,
        FOLDER,
      ]);

    expect(read.commitSha).toBe(removal);
    expect([...read.files.entries()]).toEqual([
      [KEPT, 'kind: redis\nmetadata:\n  name: read-kept\n'],
      [REMOVED, undefined],
      [`${FOLDER}/never-there.yaml`, undefined],
      [FOLDER, undefined],
    ]);
    // No checkout, and the clone is gone.
    expect(repo.leftovers()).toEqual([]);
  });

  it('clones again only when the branch moved: an unchanged head costs one ref listing', async () => {
    const path = `${FOLDER}/read-again.yaml`;
    await write(path, 'kind: redis\nmetadata:\n  name: read-again\n');
    const writer = repo.giteaWriter();
    const fetches = () => repo.git.served('git-upload-pack');

    const first = await writer.readBranch(repo.git.url, 'main', [path, KEPT]);
    const afterFirst = fetches();
    const again = await writer.readBranch(repo.git.url, 'main', [KEPT, path]);
    // The same head: no fetch, the same files (asked in another order, answered in that order).
    expect(fetches()).toBe(afterFirst);
    expect(again.commitSha).toBe(first.commitSha);
    expect([...again.files.entries()]).toEqual([
      [KEPT, first.files.get(KEPT)],
      [path, 'kind: redis\nmetadata:\n  name: read-again\n'],
    ]);

    // A path the last read did not cover is read from a clone.
    await writer.readBranch(repo.git.url, 'main', [path, REMOVED]);
    expect(fetches()).toBe(afterFirst + 1);

    // Someone else's commit moves the branch: the next read sees it.
    const removal = await pushCompetingCommit(
      withCredentials(repo.git.url, repo.git.username, repo.git.token),
      'main',
      path,
      null,
    );
    // (pushing it fetched too: count from here)
    const beforeMoved = fetches();
    const moved = await writer.readBranch(repo.git.url, 'main', [path]);
    expect(fetches()).toBe(beforeMoved + 1);
    expect(moved.commitSha).toBe(removal);
    expect(moved.files.get(path)).toBeUndefined();
    expect(repo.leftovers()).toEqual([]);
  });

  it('is a 502 naming the repository, never the credentials, when it cannot be read', async () => {
    const wrong = 'not-the-token-9f8e7d';
    const refused = repo
      .giteaWriter({ username: repo.git.username, password: wrong })
      .readBranch(repo.git.url, 'main', [KEPT]);
    await expect(refused).rejects.toBeInstanceOf(KratixDeliveryError);
    const error = (await refused.catch(e => e)) as KratixDeliveryError;
    expect(error.message).toContain(repo.git.url);
    expect(error.message).toMatch(/refused the credentials/);
    expect(error.message).not.toContain(wrong);

    const noBranch = await repo
      .giteaWriter()
      .readBranch(repo.git.url, 'no-such-branch', [KEPT])
      .catch(e => e);
    expect(noBranch).toBeInstanceOf(KratixDeliveryError);
    expect(noBranch.message).not.toContain(repo.git.token);
    expect(repo.leftovers()).toEqual([]);
  });

  it('refuses a branch name Git would not take', async () => {
    await expect(
      repo.giteaWriter().readBranch(repo.git.url, 'main..x', [KEPT]),
    ).rejects.toMatchObject({ name: 'InputError' });
  });
});
