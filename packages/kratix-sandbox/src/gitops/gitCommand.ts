/*
 * Runs git plumbing on the sandbox's bare repository, isolated from the machine's and the user's Git
 * configuration, so what the sandbox serves does not depend on who runs it.
 */
import { spawn } from 'node:child_process';

/** The environment every git process of the sandbox gets (no inherited credentials or config). */
export function gitEnvironment(
  extra: Record<string, string> = {},
): Record<string, string> {
  return {
    PATH: process.env.PATH ?? '',
    LANG: 'C',
    GIT_CONFIG_NOSYSTEM: '1',
    GIT_CONFIG_GLOBAL: '/dev/null',
    GIT_TERMINAL_PROMPT: '0',
    ...extra,
  };
}

export interface GitRunOptions {
  cwd: string;
  /** Written to the process's stdin. */
  input?: string | Buffer;
  env?: Record<string, string>;
  /** Resolve with the exit code instead of rejecting when git exits non-zero. */
  allowFailure?: boolean;
}

export interface GitOutput {
  code: number;
  stdout: Buffer;
  stderr: string;
}

/** `git <args>`; rejects with git's own message when it fails (unless allowFailure). */
export function runGit(
  git: string,
  args: string[],
  options: GitRunOptions,
): Promise<GitOutput> {
  return new Promise((resolve, reject) => {
    const child = spawn(git, args, {
      cwd: options.cwd,
      env: gitEnvironment(options.env),
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', chunk => out.push(chunk));
    child.stderr.on('data', chunk => err.push(chunk));
    child.on('error', reject);
    child.on('close', code => {
      const result = {
        code: code ?? -1,
        stdout: Buffer.concat(out),
        stderr: Buffer.concat(err).toString('utf8').trim(),
      };
      if (result.code !== 0 && !options.allowFailure) {
        reject(
          new Error(
            `git ${args[0]} failed (exit ${result.code}): ${
              result.stderr || 'no output'
            }`,
          ),
        );
      } else resolve(result);
    });
    // git may exit before reading all of its input (e.g. on a bad argument).
    child.stdin.on('error', () => {});
    child.stdin.end(options.input);
  });
}
