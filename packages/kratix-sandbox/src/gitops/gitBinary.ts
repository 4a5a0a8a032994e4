/*
 * Finds the `git` binary and its `git http-backend` (Debian's `git` package ships both) before the
 * sandbox starts anything, so a machine without them fails with a sentence naming what is missing.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

export interface GitBinaries {
  /** Absolute path of `git`. */
  git: string;
  /** Absolute path of `git-http-backend` (the CGI program behind Git's smart HTTP). */
  httpBackend: string;
  /** e.g. `2.39.5`. */
  version: string;
}

function isExecutable(file: string): boolean {
  try {
    fs.accessSync(file, fs.constants.X_OK);
    return fs.statSync(file).isFile();
  } catch {
    return false;
  }
}

/**
 * `git` on `searchPath` (default: this process's PATH) and the `git-http-backend` in its exec path.
 * Throws an Error naming the missing binary and how to get it.
 */
export function findGit(searchPath = process.env.PATH ?? ''): GitBinaries {
  const git = searchPath
    .split(path.delimiter)
    .filter(Boolean)
    .map(dir => path.join(dir, 'git'))
    .find(isExecutable);
  if (!git) {
    throw new Error(
      `The sandbox's Git server needs the \`git\` binary, which is not on PATH (${searchPath}): install Git (Debian: apt-get install git)`,
    );
  }
  const ask = (args: string[]) =>
    execFileSync(git, args, {
      encoding: 'utf8',
      env: { PATH: searchPath, LANG: 'C' },
      stdio: ['ignore', 'pipe', 'pipe'],
    }).trim();
  let version: string;
  let execPath: string;
  try {
    version = ask(['--version']).replace(/^git version\s*/, '');
    execPath = ask(['--exec-path']);
  } catch (error) {
    throw new Error(
      `The sandbox's Git server could not run ${git}: ${
        (error as Error).message
      }`,
    );
  }
  const httpBackend = path.join(execPath, 'git-http-backend');
  if (!isExecutable(httpBackend)) {
    throw new Error(
      `The sandbox's Git server needs \`git http-backend\`, which is not at ${httpBackend} (git ${version} at ${git}): install Git with its HTTP backend (Debian: apt-get install git)`,
    );
  }
  return { git, httpBackend, version };
}
