/*
 * A sandbox leaves no pipeline process and no workspace behind: after close() (what the benches and
 * test helpers call), and after its process is SIGKILLed (what Playwright's web server teardown
 * does to `yarn start`), when only the watchdog (processWatchdog.ts) is left to clean up. The
 * pipeline is the seeded redis script held by `sandbox.kratix.io/simulate: slow`: `sleep 3600`.
 */
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  eventually,
  isRunning,
  markedProcesses,
} from '../../__testUtils__/processes';
import { DEFAULT_SEED_DIR, startSandbox } from '../../sandbox';

jest.setTimeout(120_000);

const SLOW_REDIS = (name: string) => `apiVersion: marketplace.kratix.io/v1alpha1
kind: redis
metadata:
  name: ${name}
  namespace: default
  annotations:
    sandbox.kratix.io/simulate: slow
spec:
  size: small
`;

/** The slow run's `sleep 3600`, once it runs; its workspace from the env the runner gave it. */
async function slowSleep(marker: string) {
  const sleep = await eventually(
    () => markedProcesses(marker).find(p => p.command === 'sleep 3600'),
    'the slow pipeline to reach its sleep',
  );
  const workspace = path.dirname(sleep.env.KRATIX_INPUT);
  return { pid: sleep.pid, workspace, workDir: path.dirname(workspace) };
}

describe('a stopped sandbox leaves no pipeline process or workspace', () => {
  const dirs: string[] = [];
  afterAll(() => {
    for (const dir of dirs) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('close() kills the running pipeline (by pid) and removes its workspace and work dir', async () => {
    const marker = randomUUID();
    const load = fs.mkdtempSync(path.join(os.tmpdir(), 'sandbox-cleanup-'));
    dirs.push(load);
    fs.writeFileSync(path.join(load, 'slow.yaml'), SLOW_REDIS('slow'));
    const sandbox = await startSandbox({
      seed: false,
      loadDirs: [path.join(DEFAULT_SEED_DIR, 'promises'), load],
      stepDelayMs: 0,
      pipelineEnv: { KRATIX_TEST_MARKER: marker },
    });
    const running = await slowSleep(marker);
    expect(running.workDir).toBe(sandbox.emulator.workDir);
    expect(fs.existsSync(running.workspace)).toBe(true);

    await sandbox.close();

    // close() resolves after the kill: nothing to wait for.
    expect(isRunning(running.pid)).toBe(false);
    expect(markedProcesses(marker)).toEqual([]);
    expect(fs.existsSync(running.workspace)).toBe(false);
    expect(fs.existsSync(sandbox.emulator.workDir)).toBe(false);
  });

  it('a SIGKILLed sandbox process leaves the cleanup to its watchdog', async () => {
    const marker = randomUUID();
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sandbox-cleanup-'));
    dirs.push(dir);
    fs.writeFileSync(path.join(dir, 'slow.yaml'), SLOW_REDIS('killed'));
    // The standalone CLI in its own process; the marker reaches its scripts through its env.
    const child = spawn(
      process.execPath,
      [
        '--require',
        require.resolve('@backstage/cli/config/nodeTransform.cjs'),
        path.resolve(__dirname, '../../cli/main.ts'),
        '--kubeconfig',
        path.join(dir, 'kubeconfig'),
        '--no-seed',
        '--load',
        path.join(DEFAULT_SEED_DIR, 'promises'),
        '--load',
        dir,
        '--step-delay-ms',
        '0',
      ],
      {
        env: { ...process.env, KRATIX_TEST_MARKER: marker },
        stdio: 'ignore',
      },
    );
    const exited = new Promise(resolve => child.on('exit', resolve));
    const running = await slowSleep(marker);
    expect(fs.existsSync(running.workDir)).toBe(true);

    child.kill('SIGKILL'); // no exit handler, no close(): only the watchdog can act
    await exited;

    // The watchdog is another process: it acts once it sees the pipe close.
    await eventually(
      () => (isRunning(running.pid) ? undefined : true),
      `pid ${running.pid} (sleep 3600) to be killed`,
    );
    await eventually(
      () => (fs.existsSync(running.workDir) ? undefined : true),
      `${running.workDir} to be removed`,
    );
    // Then the watchdog itself exits: nothing of this sandbox is left.
    await eventually(
      () => (markedProcesses(marker).length ? undefined : true),
      'every process of the killed sandbox to be gone',
    );
  });
});
