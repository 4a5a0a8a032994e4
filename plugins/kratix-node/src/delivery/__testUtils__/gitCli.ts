/*
 * The real `git` for checking what a delivery did to the sandbox's bare repository and for pushing a
 * competing commit over HTTP, with no user or system configuration.
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export interface GitCliResult {
  code: number;
  stdout: string;
  stderr: string;
}

export function gitCli(cwd: string, args: string[]): Promise<GitCliResult> {
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
          GIT_AUTHOR_NAME: 'Someone Else',
          GIT_AUTHOR_EMAIL: 'someone@example.com',
          GIT_COMMITTER_NAME: 'Someone Else',
          GIT_COMMITTER_EMAIL: 'someone@example.com',
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

/** Runs git in the bare repository and fails with git's message when it fails. */
export async function inRepository(
  repositoryDir: string,
  ...args: string[]
): Promise<string> {
  const result = await gitCli(repositoryDir, args);
  if (result.code !== 0) {
    throw new Error(`git ${args.join(' ')} failed: ${result.stderr}`);
  }
  return result.stdout.trim();
}

/** The commit a branch points at in the bare repository, or undefined without that branch. */
export async function branchHead(
  repositoryDir: string,
  branch: string,
): Promise<string | undefined> {
  const result = await gitCli(repositoryDir, [
    'rev-parse',
    '--verify',
    '--quiet',
    `refs/heads/${branch}`,
  ]);
  return result.code === 0 ? result.stdout.trim() : undefined;
}

/** A file's content at a revision of the bare repository, or undefined when it is not there. */
export async function fileAt(
  repositoryDir: string,
  revision: string,
  file: string,
): Promise<string | undefined> {
  const result = await gitCli(repositoryDir, ['show', `${revision}:${file}`]);
  return result.code === 0 ? result.stdout : undefined;
}

/** `http://user:token@host/...` */
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

/**
 * Someone else's push: clones `branch` over HTTP, commits `file` (`null` removes it) and pushes it.
 * Returns the commit.
 */
export async function pushCompetingCommit(
  cloneUrl: string,
  branch: string,
  file: string,
  content: string | null,
): Promise<string> {
  const parent = fs.mkdtempSync(path.join(os.tmpdir(), 'competing-push-'));
  try {
    const dir = path.join(parent, 'work');
    const run = async (cwd: string, ...args: string[]) => {
      const result = await gitCli(cwd, args);
      if (result.code !== 0) {
        throw new Error(`git ${args[0]} failed: ${result.stderr}`);
      }
      return result.stdout.trim();
    };
    await run(parent, 'clone', '--quiet', '--branch', branch, cloneUrl, dir);
    if (content === null) {
      await run(dir, 'rm', '--quiet', '--', file);
    } else {
      fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
      fs.writeFileSync(path.join(dir, file), content);
      await run(dir, 'add', '--all');
    }
    await run(dir, 'commit', '--quiet', '-m', `Competing change to ${file}`);
    await run(dir, 'push', '--quiet', 'origin', `HEAD:${branch}`);
    return await run(dir, 'rev-parse', 'HEAD');
  } finally {
    fs.rmSync(parent, { recursive: true, force: true });
  }
}
