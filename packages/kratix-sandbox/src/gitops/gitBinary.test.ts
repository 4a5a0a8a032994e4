/*
 * A machine without git (or without its HTTP backend) cannot serve the requests repository: the
 * sandbox refuses to start with `git` turned on, naming the missing binary, before anything runs.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describeWithGit } from '../__testUtils__/git';
import { startSandbox } from '../sandbox';
import { findGit } from './gitBinary';

function tempDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'kratix-git-binary-'));
}

describe('findGit', () => {
  const dirs: string[] = [];
  afterAll(() => {
    for (const dir of dirs) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('names git when it is not on PATH', () => {
    const empty = tempDir();
    dirs.push(empty);
    expect(() => findGit(empty)).toThrow(
      `The sandbox's Git server needs the \`git\` binary, which is not on PATH (${empty}): install Git (Debian: apt-get install git)`,
    );
  });

  it('names git http-backend when git has none', () => {
    // A git that answers like one, with an exec path holding no git-http-backend.
    const bin = tempDir();
    const execPath = tempDir();
    dirs.push(bin, execPath);
    fs.writeFileSync(
      path.join(bin, 'git'),
      `#!/bin/sh\ncase "$1" in --version) echo "git version 9.9.9";; --exec-path) echo "${execPath}";; esac\n`,
      { mode: 0o755 },
    );
    expect(() => findGit(bin)).toThrow(
      `The sandbox's Git server needs \`git http-backend\`, which is not at ${path.join(
        execPath,
        'git-http-backend',
      )} (git 9.9.9 at ${path.join(bin, 'git')})`,
    );
  });

  it('keeps startSandbox({ git }) from starting anything without git', async () => {
    const empty = tempDir();
    const workDir = path.join(tempDir(), 'work');
    dirs.push(empty, path.dirname(workDir));
    const saved = process.env.PATH;
    let started: Promise<unknown>;
    // findGit runs before startSandbox's first await, so PATH is restored at once.
    process.env.PATH = empty;
    try {
      started = startSandbox({ seed: false, workDir, git: {} });
    } finally {
      process.env.PATH = saved;
    }
    await expect(started).rejects.toThrow(/needs the `git` binary/);
    // The emulator, which makes its work folder, never started.
    expect(fs.existsSync(workDir)).toBe(false);
  });
});

describeWithGit('findGit on this machine', () => {
  it('finds git and its http-backend', () => {
    const found = findGit();
    expect(path.basename(found.git)).toBe('git');
    expect(path.basename(found.httpBackend)).toBe('git-http-backend');
    expect(found.version).toMatch(/^\d+\.\d+/);
  });
});
