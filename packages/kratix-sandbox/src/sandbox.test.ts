/*
 * startSandbox's own hygiene: bad options are refused by name, and a process that exits without
 * closing its sandbox (the backend exiting on a second Ctrl-C) takes its pipeline processes and
 * workspaces with it.
 */
import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import {
  pipelinesWith,
  tempDir,
  testPromise,
  thing,
} from './kratix/__testUtils__/harness';
import { isRunning } from './__testUtils__/processes';
import { startSandbox } from './sandbox';

describe('startSandbox', () => {
  it.each([0, -5, Number.NaN])(
    'refuses pipelineTimeoutSeconds %p, naming the option',
    async value => {
      await expect(
        startSandbox({ seed: false, pipelineTimeoutSeconds: value }),
      ).rejects.toThrow(
        `pipelineTimeoutSeconds must be a positive number of seconds, got ${value}`,
      );
    },
  );

  it('kills its pipelines and removes their workspaces when the process exits without close()', async () => {
    const dir = tempDir('kratix-sandbox-exit-');
    const workDir = path.join(dir, 'work');
    const load = path.join(dir, 'load');
    fs.mkdirSync(load);
    // JSON is YAML: a Promise whose pipeline sleeps, and one Resource of it.
    fs.writeFileSync(
      path.join(load, 'objects.yaml'),
      [
        testPromise('exitthing', [
          { name: 'instance-configure', images: ['sleeper'] },
        ]),
        thing('exitthing', 'e'),
      ]
        .map(o => JSON.stringify(o))
        .join('\n---\n'),
    );
    // The script tells the test its `sleep`'s pid through a fifo, which also says it is running.
    const started = path.join(dir, 'started');
    execFileSync('mkfifo', [started]);
    const pipelines = pipelinesWith({
      sleeper: 'sleep 3600 &\necho "$!" > "$STARTED"\nwait\n',
    });

    // A process that starts a sandbox, waits for the pipeline, then exits without closing it.
    const script = `
        // Read by the pipeline script through its inherited environment.
        process.env.STARTED = ${JSON.stringify(started)};
        const { startSandbox } = require(${JSON.stringify(
          path.join(__dirname, 'sandbox.ts'),
        )});
        startSandbox(${JSON.stringify({
          seed: false,
          loadDirs: [load],
          pipelinesDir: pipelines,
          workDir,
          stepDelayMs: 0,
        })});
        require('node:fs').promises.readFile(${JSON.stringify(
          started,
        )}, 'utf8').then(pid => {
          process.stdout.write(pid);
          process.exit(0);
        });
      `;
    const child = spawn(
      process.execPath,
      [
        '--require',
        require.resolve('@backstage/cli/config/nodeTransform.cjs'),
        '-e',
        script,
      ],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', d => (stdout += d));
    child.stderr.on('data', d => (stderr += d));
    const code = await new Promise(resolve => child.once('close', resolve));
    expect({ code, stderr }).toEqual({ code: 0, stderr: '' });

    const sleepPid = Number(stdout.trim());
    expect(sleepPid).toBeGreaterThan(0);
    // SIGKILL was sent before the exit; its delivery to a process not ours is asynchronous.
    const deadline = Date.now() + 5_000;
    while (isRunning(sleepPid) && Date.now() < deadline) {
      await new Promise(resolve => setTimeout(resolve, 20));
    }
    try {
      expect(isRunning(sleepPid)).toBe(false);
      expect(fs.readdirSync(workDir)).toEqual([]);
    } finally {
      // Never leave a failed run's `sleep` behind for an hour.
      if (isRunning(sleepPid)) process.kill(sleepPid, 'SIGKILL');
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }, 30_000);
});
