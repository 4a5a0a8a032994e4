import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { imageBaseName, imageWithoutTag, resolveImage } from './imageResolver';
import { isRunning } from '../../__testUtils__/processes';
import { tempDir as makeTempDir } from '../__testUtils__/harness';
import { PipelineRunner, rewriteKratixPaths } from './pipelineRunner';

const seededPipelines = path.resolve(__dirname, '../../../pipelines');

// Removed after the file's tests by the harness.
const tempDir = () => makeTempDir('kratix-runner-test-');

const resource = {
  apiVersion: 'workshop.kratix.io/v1alpha1',
  kind: 'elastic-cloud',
  metadata: { name: 'example', namespace: 'default' },
  spec: { enableDataCollection: true },
};

describe('imageResolver', () => {
  it('normalises image references', () => {
    const image =
      'ghcr.io/syntasso/kratix-marketplace/redis-configure-pipeline:v0.1.0';
    expect(imageWithoutTag(image)).toBe(
      'ghcr.io/syntasso/kratix-marketplace/redis-configure-pipeline',
    );
    expect(imageBaseName(image)).toBe('redis-configure-pipeline');
    expect(imageBaseName('localhost:5000/team/app@sha256:abc')).toBe('app');
  });

  it('finds executables by convention, by images.yaml, or not at all', () => {
    const dir = tempDir();
    fs.writeFileSync(path.join(dir, 'by-name'), '#!/bin/sh\n');
    fs.mkdirSync(path.join(dir, 'folder'));
    fs.writeFileSync(path.join(dir, 'folder', 'run'), '#!/bin/sh\n');
    fs.writeFileSync(path.join(dir, 'custom.sh'), 'true\n');
    fs.writeFileSync(
      path.join(dir, 'images.yaml'),
      'example.com/mapped: custom.sh\n',
    );
    expect(resolveImage(dir, 'ghcr.io/x/by-name:v1')).toBe(
      path.join(dir, 'by-name'),
    );
    expect(resolveImage(dir, 'folder:latest')).toBe(
      path.join(dir, 'folder', 'run'),
    );
    expect(resolveImage(dir, 'example.com/mapped:v9')).toBe(
      path.join(dir, 'custom.sh'),
    );
    expect(resolveImage(dir, 'example.com/unknown:v1')).toBeUndefined();
  });
});

describe('PipelineRunner', () => {
  it('rewrites /kratix path prefixes only', () => {
    const script =
      'cat /kratix/input/object.yaml > "/kratix/metadata/status.yaml"\nls /kratix\necho ghcr.io/syntasso/kratix-marketplace';
    expect(rewriteKratixPaths(script, '/tmp/run')).toBe(
      'cat /tmp/run/input/object.yaml > "/tmp/run/metadata/status.yaml"\nls /tmp/run\necho ghcr.io/syntasso/kratix-marketplace',
    );
  });

  it("runs the tutorial's elastic pipeline and returns its status.yaml", async () => {
    const runner = new PipelineRunner({
      pipelinesDir: seededPipelines,
      workDir: tempDir(),
    });
    const result = await runner.run({
      pipeline: {
        name: 'resource-configure',
        containers: [
          {
            name: 'pipeline-stage-0',
            image: 'kratix-workshop/elastic-pipeline:dev',
          },
        ],
      },
      object: resource,
      env: { KRATIX_OBJECT_NAME: 'example' },
    });
    expect(result.error).toBeUndefined();
    expect(result.ok).toBe(true);
    expect(result.status).toEqual({
      message: 'Instance example provisioned with preconfigured system metrics',
      initialLoginDetails: {
        username: 'elastic',
        passwordSecretName: 'example-es-elastic-user',
      },
    });
    expect(result.outputFiles.sort()).toEqual([
      'beats.yaml',
      'elasticsearch.yaml',
      'kibana.yaml',
    ]);
  });

  it('gives scripts KRATIX_* dirs, runs containers in order, and treats unknown images as no-ops', async () => {
    const dir = tempDir();
    fs.writeFileSync(
      path.join(dir, 'first'),
      'echo "from: first" > "$KRATIX_METADATA/first.txt"\n',
    );
    fs.writeFileSync(
      path.join(dir, 'second'),
      '#!/usr/bin/env bash\nset -e\ngrep -q "name: example" "$KRATIX_INPUT/object.yaml"\nprintf "message: %s\\n" "$(cat /kratix/metadata/first.txt | cut -d" " -f2)" > /kratix/metadata/status.yaml\n',
    );
    const runner = new PipelineRunner({
      pipelinesDir: dir,
      workDir: tempDir(),
    });
    const result = await runner.run({
      pipeline: {
        name: 'p',
        containers: [
          { image: 'x/first:1' },
          { image: 'x/missing:1' },
          { image: 'x/second:1' },
        ],
      },
      object: resource,
      env: {},
    });
    expect(result).toMatchObject({ ok: true, status: { message: 'first' } });
    expect(result.logs).toContain('no local executable');
  });

  it('fails on a non-zero exit and does not read status.yaml', async () => {
    const dir = tempDir();
    fs.writeFileSync(
      path.join(dir, 'bad'),
      'echo "message: x" > /kratix/metadata/status.yaml\necho boom >&2\nexit 3\n',
    );
    const runner = new PipelineRunner({
      pipelinesDir: dir,
      workDir: tempDir(),
    });
    const result = await runner.run({
      pipeline: { name: 'p', containers: [{ name: 'c', image: 'bad' }] },
      object: resource,
      env: {},
    });
    expect(result.ok).toBe(false);
    expect(result.status).toBeUndefined();
    expect(result.failedContainer).toBe('c');
    expect(result.error).toContain('exited with code 3');
    expect(result.logs).toContain('boom');
  });
});

/** A fifo the test reads from: the script's write is the signal that it is running. */
function fifo(dir: string): string {
  const file = path.join(dir, 'started');
  execFileSync('mkfifo', [file]);
  return file;
}

describe('PipelineRunner workspaces, stop and timeout', () => {
  // Starts a `sleep` in the script's process group, says its pid through the fifo, then waits.
  const sleeper =
    'sleep 3600 &\necho "$!" > "$STARTED"\nwait\necho "message: finished" > /kratix/metadata/status.yaml\n';

  function sleepingRun(runner: PipelineRunner, started: string) {
    return runner.run({
      pipeline: {
        name: 'slow',
        containers: [
          {
            name: 'c',
            image: 'sleeper',
            env: [{ name: 'STARTED', value: started }],
          },
        ],
      },
      object: resource,
      env: {},
    });
  }

  it('removes the workspace when the run succeeds or fails', async () => {
    const dir = tempDir();
    fs.writeFileSync(
      path.join(dir, 'good'),
      'echo "message: ok" > /kratix/metadata/status.yaml\n',
    );
    fs.writeFileSync(
      path.join(dir, 'bad'),
      'echo "left: behind" > /kratix/output/x.yaml\nexit 1\n',
    );
    const workDir = tempDir();
    const runner = new PipelineRunner({ pipelinesDir: dir, workDir });
    const good = await runner.run({
      pipeline: { name: 'p', containers: [{ image: 'good' }] },
      object: resource,
      env: {},
    });
    expect(good).toMatchObject({ ok: true, status: { message: 'ok' } });
    expect(fs.readdirSync(workDir)).toEqual([]);

    const bad = await runner.run({
      pipeline: { name: 'p', containers: [{ image: 'bad' }] },
      object: resource,
      env: {},
    });
    expect(bad.ok).toBe(false);
    expect(fs.readdirSync(workDir)).toEqual([]);
  });

  it('stop() kills the whole process group and removes the workspace at once', async () => {
    const dir = tempDir();
    fs.writeFileSync(path.join(dir, 'sleeper'), sleeper);
    const workDir = tempDir();
    const started = fifo(tempDir());
    const runner = new PipelineRunner({ pipelinesDir: dir, workDir });
    const run = sleepingRun(runner, started);
    const sleepPid = Number(
      (await fs.promises.readFile(started, 'utf8')).trim(),
    );
    expect(isRunning(sleepPid)).toBe(true);
    expect(fs.readdirSync(workDir)).toHaveLength(1);

    runner.stop();
    // Synchronous: nothing is left even if the process exits right now.
    expect(fs.readdirSync(workDir)).toEqual([]);
    const result = await run;
    expect(result).toMatchObject({ ok: false, error: 'emulator stopped' });
    expect(isRunning(sleepPid)).toBe(false);
    expect(fs.readdirSync(workDir)).toEqual([]);
  });

  it('kills a run that outlives the timeout and says so', async () => {
    const dir = tempDir();
    fs.writeFileSync(path.join(dir, 'sleeper'), sleeper);
    const workDir = tempDir();
    const started = fifo(tempDir());
    const runner = new PipelineRunner({
      pipelinesDir: dir,
      workDir,
      timeoutMs: 300,
    });
    const run = sleepingRun(runner, started);
    const sleepPid = Number(
      (await fs.promises.readFile(started, 'utf8')).trim(),
    );
    const result = await run;
    expect(result).toMatchObject({
      ok: false,
      timedOut: true,
      failedContainer: 'c',
      error:
        "ran longer than the sandbox's pipeline timeout of 0.3s and was killed",
    });
    expect(result.status).toBeUndefined();
    expect(isRunning(sleepPid)).toBe(false);
    expect(fs.readdirSync(workDir)).toEqual([]);
  });

  it('leaves a run that finishes within the timeout alone', async () => {
    const dir = tempDir();
    fs.writeFileSync(
      path.join(dir, 'quick'),
      'echo "message: quick" > /kratix/metadata/status.yaml\n',
    );
    const runner = new PipelineRunner({
      pipelinesDir: dir,
      workDir: tempDir(),
      timeoutMs: 60_000,
    });
    const result = await runner.run({
      pipeline: { name: 'p', containers: [{ image: 'quick' }] },
      object: resource,
      env: {},
    });
    expect(result).toMatchObject({ ok: true, status: { message: 'quick' } });
    expect(result.timedOut).toBeUndefined();
  });
});
