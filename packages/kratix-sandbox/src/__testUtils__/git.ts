/*
 * A Git client for the tests of the sandbox's Git server: clones, commits and pushes with the real
 * `git` over HTTP, in a temp folder, with no user or system Git configuration. Tests needing git are
 * declared with describeWithGit: without git they are skipped with the reason in their name, except
 * under CI=true, where a missing git fails the test file (as kubectl.ts does for kubectl).
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { findGit } from '../gitops/gitBinary';

function gitProblem(): string | undefined {
  try {
    findGit();
    return undefined;
  } catch (error) {
    return (error as Error).message;
  }
}

const problem = gitProblem();

/** describe(), or describe.skip() naming why when git is missing; a failure under CI. */
export function describeWithGit(title: string, suite: () => void): void {
  if (!problem) {
    describe(`${title}`, () => {
      suite();
    });
  } else if (process.env.CI === 'true') {
    // In CI a missing prerequisite fails the test file: a skip would let a whole suite go untested.
    throw new Error(`${title}: ${problem}`);
  } else {
    // Skipped on purpose, the reason in the name: git is not on this machine.
    // eslint-disable-next-line jest/no-disabled-tests
    describe.skip(`${title} (SKIPPED: ${problem})`, () => {
      suite();
    });
  }
}

export interface GitResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** `http://user:token@host/...`, for a remote that authenticates. */
export function withCredentials(
  url: string,
  username: string,
  token: string,
): string {
  const u = new URL(url);
  u.username = encodeURIComponent(username);
  u.password = encodeURIComponent(token);
  return u.toString();
}

/** A work tree cloned from the sandbox's repository. */
export class GitWorkTree {
  private constructor(readonly dir: string) {}

  /** Clones `url` (with credentials in it when the server wants them). */
  static async clone(url: string): Promise<GitWorkTree> {
    const parent = fs.mkdtempSync(path.join(os.tmpdir(), 'kratix-git-client-'));
    const dir = path.join(parent, 'work');
    const result = await runGit(parent, ['clone', '--quiet', url, dir]);
    if (result.code !== 0)
      throw new Error(`git clone failed: ${result.stderr}`);
    return new GitWorkTree(dir);
  }

  git(...args: string[]): Promise<GitResult> {
    return runGit(this.dir, args);
  }

  /** Runs git and fails the test with git's message when it fails. */
  async ok(...args: string[]): Promise<string> {
    const result = await this.git(...args);
    if (result.code !== 0) {
      throw new Error(`git ${args.join(' ')} failed: ${result.stderr}`);
    }
    return result.stdout.trim();
  }

  write(file: string, content: string): void {
    const full = path.join(this.dir, file);
    fs.mkdirSync(path.dirname(full), { recursive: true });
    fs.writeFileSync(full, content);
  }

  /** Stages everything (additions, changes, removals) and commits it; returns the commit. */
  async commitAll(message: string): Promise<string> {
    await this.ok('add', '--all');
    await this.ok('commit', '--quiet', '-m', message);
    return this.ok('rev-parse', 'HEAD');
  }

  remove(): void {
    fs.rmSync(path.dirname(this.dir), { recursive: true, force: true });
  }
}

/** git with no configuration but a test author, never prompting for credentials. */
export function runGit(cwd: string, args: string[]): Promise<GitResult> {
  return new Promise(resolve => {
    execFile(
      'git',
      args,
      {
        cwd,
        env: {
          PATH: process.env.PATH ?? '',
          LANG: 'C',
          GIT_CONFIG_NOSYSTEM: '1',
          GIT_CONFIG_GLOBAL: '/dev/null',
          GIT_TERMINAL_PROMPT: '0',
          GIT_AUTHOR_NAME: 'Ada Test',
          GIT_AUTHOR_EMAIL: 'ada@example.com',
          GIT_COMMITTER_NAME: 'Ada Test',
          GIT_COMMITTER_EMAIL: 'ada@example.com',
        },
        timeout: 60_000,
      },
      (error, stdout, stderr) => {
        let code = 0;
        if (error) {
          const exit = (error as { code?: unknown }).code;
          code = typeof exit === 'number' ? exit : -1;
        }
        resolve({ code, stdout, stderr });
      },
    );
  });
}
