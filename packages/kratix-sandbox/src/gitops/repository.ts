/*
 * The requests repository: a bare Git repository the sandbox serves and syncs from. Created (or
 * reopened) at start with a first commit on the configured branch; read with plumbing (`rev-parse`,
 * `ls-tree`, `cat-file`), never through a work tree.
 */
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { runGit } from './gitCommand';

/** Who the repository's first commit is by. */
const SANDBOX_AUTHOR = {
  GIT_AUTHOR_NAME: 'Kratix sandbox',
  GIT_AUTHOR_EMAIL: 'sandbox@kratix-backstage.invalid',
  GIT_COMMITTER_NAME: 'Kratix sandbox',
  GIT_COMMITTER_EMAIL: 'sandbox@kratix-backstage.invalid',
};

/** A file of the synced folder at one commit. */
export interface TreeFile {
  /** Repository-relative, e.g. `kratix-requests/default/redis.yaml`. */
  path: string;
  content: Buffer;
}

/** What the branch holds under the synced folder. */
export interface TreeSnapshot {
  /** The commit read. */
  revision: string;
  /** Every blob under the folder whose name ends in .yaml or .yml, in path order. */
  files: TreeFile[];
  /** Files left out because they are larger than MAX_FILE_BYTES. */
  tooLarge: string[];
}

/** A requests manifest is a few KiB; a file this large is refused rather than read into memory. */
export const MAX_FILE_BYTES = 1024 * 1024;

/** Where the repository keeps its id, in its own config. */
const ID_KEY = 'kratixSandbox.repositoryId';

export class GitRepository {
  /**
   * A random id made when the repository is created, kept in its config: what the sync applied
   * from it is told apart from what it applied from an earlier repository (a snapshot restored
   * next to a new temp repository), which it never deletes.
   */
  id = '';

  constructor(
    private readonly git: string,
    /** The bare repository's folder. */
    readonly dir: string,
  ) {}

  /** `git -C dir ...` */
  run(args: string[], input?: string | Buffer, env?: Record<string, string>) {
    return runGit(this.git, args, { cwd: this.dir, input, env });
  }

  /**
   * Creates the bare repository when `dir` does not hold one (a missing or empty folder), enables
   * push over HTTP, and makes a first commit on `branch` when the branch does not exist.
   */
  static async open(
    git: string,
    dir: string,
    branch: string,
  ): Promise<GitRepository> {
    const exists = fs.existsSync(dir) && fs.readdirSync(dir).length > 0;
    if (!exists) {
      fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
      await runGit(git, ['init', '--quiet', '--bare', dir], {
        cwd: path.dirname(dir),
      });
    }
    const repo = new GitRepository(git, dir);
    const bare = await runGit(git, ['rev-parse', '--is-bare-repository'], {
      cwd: dir,
      allowFailure: true,
    });
    if (bare.code !== 0 || bare.stdout.toString().trim() !== 'true') {
      throw new Error(
        `${dir} is not a bare Git repository (and not empty): the sandbox's Git server needs a folder of its own`,
      );
    }
    // Push over smart HTTP for authenticated users (the server never passes an anonymous one); no
    // dumb-HTTP file access.
    await repo.run(['config', 'http.receivepack', 'true']);
    await repo.run(['config', 'http.getanyfile', 'false']);
    const id = await runGit(git, ['config', '--get', ID_KEY], {
      cwd: dir,
      allowFailure: true,
    });
    repo.id = id.stdout.toString().trim();
    if (!repo.id) {
      repo.id = randomUUID();
      await repo.run(['config', ID_KEY, repo.id]);
    }
    await repo.run(['symbolic-ref', 'HEAD', `refs/heads/${branch}`]);
    if (!(await repo.resolveBranch(branch))) await repo.initialCommit(branch);
    return repo;
  }

  /** The commit `branch` points at, or undefined when there is no such branch. */
  async resolveBranch(branch: string): Promise<string | undefined> {
    const out = await runGit(
      this.git,
      ['rev-parse', '--verify', '--quiet', `refs/heads/${branch}^{commit}`],
      { cwd: this.dir, allowFailure: true },
    );
    return out.code === 0 ? out.stdout.toString().trim() : undefined;
  }

  /** A README at the root, so the branch exists and says what the repository is for. */
  private async initialCommit(branch: string): Promise<void> {
    const readme = [
      '# Kratix requests',
      '',
      "The Kratix sandbox's requests repository. The sandbox's Git sync applies the Kubernetes",
      'YAML on its configured branch under its configured folder to the sandbox platform, and',
      'deletes what it applied when the file is removed.',
      '',
    ].join('\n');
    const blob = (
      await this.run(['hash-object', '-w', '--stdin'], readme)
    ).stdout
      .toString()
      .trim();
    const tree = (
      await this.run(['mktree'], `100644 blob ${blob}\tREADME.md\n`)
    ).stdout
      .toString()
      .trim();
    const commit = (
      await this.run(
        ['commit-tree', tree, '-m', 'Requests repository'],
        undefined,
        SANDBOX_AUTHOR,
      )
    ).stdout
      .toString()
      .trim();
    await this.run(['update-ref', `refs/heads/${branch}`, commit, '']);
  }

  /**
   * The YAML files under `folder` ('' for the whole tree) on `branch`, or undefined when the branch
   * does not exist. A folder absent from the commit holds no files.
   */
  async readFolder(
    branch: string,
    folder: string,
  ): Promise<TreeSnapshot | undefined> {
    const revision = await this.resolveBranch(branch);
    if (!revision) return undefined;
    const listing = (
      await this.run([
        'ls-tree',
        '-r',
        '-z',
        '--long',
        '--full-tree',
        revision,
        ...(folder ? ['--', folder] : []),
      ])
    ).stdout.toString('utf8');
    const blobs: Array<{ oid: string; path: string }> = [];
    const tooLarge: string[] = [];
    for (const entry of listing.split('\0').filter(Boolean)) {
      // <mode> SP <type> SP <object> SP+ <size> TAB <path>
      const tab = entry.indexOf('\t');
      const [mode, type, oid, size] = entry.slice(0, tab).split(/ +/);
      const file = entry.slice(tab + 1);
      // Regular files only: not symlinks (120000) nor submodules (commits).
      if (type !== 'blob' || !/^1006[0-7]{2}$/.test(mode)) continue;
      if (folder && !file.startsWith(`${folder}/`)) continue;
      if (!/\.ya?ml$/i.test(file)) continue;
      if (Number(size) > MAX_FILE_BYTES) tooLarge.push(file);
      else blobs.push({ oid, path: file });
    }
    const contents = await this.readBlobs(blobs.map(b => b.oid));
    return {
      revision,
      files: blobs.map((b, i) => ({ path: b.path, content: contents[i] })),
      tooLarge,
    };
  }

  /** Every blob's content in one `git cat-file --batch`. */
  private async readBlobs(oids: string[]): Promise<Buffer[]> {
    if (!oids.length) return [];
    const out = (
      await this.run(['cat-file', '--batch'], `${oids.join('\n')}\n`)
    ).stdout;
    const contents: Buffer[] = [];
    let at = 0;
    for (const oid of oids) {
      // <oid> SP <type> SP <size> LF <contents> LF
      const eol = out.indexOf(0x0a, at);
      const header = out.subarray(at, eol).toString('utf8').split(' ');
      if (header[0] !== oid || header[1] !== 'blob') {
        throw new Error(
          `git cat-file: unexpected answer for ${oid}: ${header.join(' ')}`,
        );
      }
      const size = Number(header[2]);
      contents.push(out.subarray(eol + 1, eol + 1 + size));
      at = eol + 1 + size + 1;
    }
    return contents;
  }
}
