/*
 * The sandbox's real Git server for the delivery tests: one sandbox per test file (Git sync on
 * demand only, so nothing is applied behind a test's back), a private TMPDIR so a test can see that
 * every write removed its temp folder, and writers whose credentials come from an `integrations`
 * config, as in production.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startSandbox, type Sandbox } from '@kratix-backstage/sandbox';
import type { GitRequestWriter } from '../GitRequestWriter';
import { writerFor } from './writerFor';

export type SandboxGit = NonNullable<Sandbox['git']>;

export interface SandboxRepository {
  sandbox: Sandbox;
  git: SandboxGit;
  /** The temp folder os.tmpdir() answers while the file runs. */
  tmp: string;
  /** Folders a write left in the temp folder (there should be none). */
  leftovers(): string[];
  /** A gitea integration for the sandbox's server, with these credentials (default: the real ones). */
  giteaWriter(credentials?: {
    username: string;
    password: string;
  }): GitRequestWriter;
  close(): Promise<void>;
}

export async function startSandboxRepository(): Promise<SandboxRepository> {
  const previousTmp = process.env.TMPDIR;
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'kratix-delivery-test-'));
  process.env.TMPDIR = tmp;
  const sandbox = await startSandbox({
    seed: false,
    stepDelayMs: 20,
    git: { intervalSeconds: 0 },
  });
  await sandbox.ready;
  const git = sandbox.git!;
  return {
    sandbox,
    git,
    tmp,
    leftovers: () =>
      fs.readdirSync(tmp).filter(name => name.startsWith('kratix-delivery-')),
    giteaWriter(credentials) {
      const url = new URL(git.url);
      return writerFor({
        gitea: [
          {
            host: url.host,
            baseUrl: url.origin,
            username: credentials?.username ?? git.username,
            password: credentials?.password ?? git.token,
          },
        ],
      }).writer;
    },
    async close() {
      await sandbox.close();
      if (previousTmp === undefined) delete process.env.TMPDIR;
      else process.env.TMPDIR = previousTmp;
      fs.rmSync(tmp, { recursive: true, force: true });
    },
  };
}
