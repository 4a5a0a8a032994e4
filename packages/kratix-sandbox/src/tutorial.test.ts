/*
 * The tutorial this product grew from ("Updating the Resource status", Kratix workshop), replayed
 * with real kubectl 1.27 and 1.33 against the sandbox: install the Promise, request the Resource,
 * wait for PipelineCompleted, and see the status the pipeline wrote exactly as the tutorial shows.
 */
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { parse } from 'yaml';
import { describeEachKubectl } from './__testUtils__/kubectl';
import {
  DEFAULT_PIPELINES_DIR,
  DEFAULT_SEED_DIR,
  startSandbox,
  type Sandbox,
} from './sandbox';

const run = promisify(execFile);

describeEachKubectl('the status tutorial with kubectl', binary => {
  let dir: string;
  let sandbox: Sandbox;
  const kubectl = async (...args: string[]) =>
    (
      await run(
        binary,
        [
          '--kubeconfig',
          join(dir, 'kubeconfig'),
          '--cache-dir',
          join(dir, 'cache'),
          ...args,
        ],
        {
          timeout: 60_000,
        },
      )
    ).stdout;

  /** The pipeline waits on this fifo until the test writes to it: the test decides when it ends. */
  let gate: string;
  const openGate = () => writeFile(gate, 'go\n');

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'kratix-tutorial-'));
    gate = join(dir, 'gate');
    await run('mkfifo', [gate]);
    // The tutorial's own pipeline, held at its first line until the gate opens.
    const pipelines = join(dir, 'pipelines');
    await mkdir(pipelines);
    const [shebang, ...rest] = (
      await readFile(join(DEFAULT_PIPELINES_DIR, 'elastic-pipeline'), 'utf8')
    ).split('\n');
    await writeFile(
      join(pipelines, 'elastic-pipeline'),
      [shebang, `read -r _ < '${gate}'`, ...rest].join('\n'),
      { mode: 0o755 },
    );
    sandbox = await startSandbox({
      seed: false,
      stepDelayMs: 0,
      pipelinesDir: pipelines,
      workDir: join(dir, 'work'),
      kubeconfigPath: join(dir, 'kubeconfig'),
    });
  });
  afterAll(async () => {
    await sandbox.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('ends with the message in `kubectl get` and initialLoginDetails in -o yaml', async () => {
    await kubectl(
      'create',
      '--filename',
      join(DEFAULT_SEED_DIR, 'promises', 'elastic-cloud.yaml'),
    );
    await kubectl(
      'wait',
      'promise/elastic-cloud',
      '--for=jsonpath={.status.status}=Available',
      '--timeout=30s',
    );
    await kubectl(
      'apply',
      '--filename',
      join(DEFAULT_SEED_DIR, 'resources', 'elastic-cloud-example.yaml'),
    );

    // Right after the request, Kratix's default before the workflow has run: the pipeline
    // cannot finish before the gate opens.
    const early = parse(
      await kubectl('get', 'elastic-clouds', 'example', '-o', 'yaml'),
    );
    expect(early.status?.message ?? 'Pending').toBe('Pending');
    // Blocks until the pipeline script is waiting at the gate, so it has really started.
    await openGate();

    await kubectl(
      'wait',
      'elastic-cloud/example',
      '--for=condition=PipelineCompleted',
      '--timeout=60s',
    );

    const table = await kubectl('get', 'elastic-clouds');
    const [header, row] = table.trim().split('\n');
    expect(header.split(/\s{2,}/)).toEqual(['NAME', 'STATUS']);
    expect(row.split(/\s{2,}/)).toEqual([
      'example',
      'Instance example provisioned with preconfigured system metrics',
    ]);

    const status = parse(
      await kubectl('get', 'elastic-clouds', 'example', '-o', 'yaml'),
    ).status;
    expect(status.message).toBe(
      'Instance example provisioned with preconfigured system metrics',
    );
    expect(status.initialLoginDetails).toEqual({
      username: 'elastic',
      passwordSecretName: 'example-es-elastic-user',
    });
    expect(status.conditions).toEqual([
      expect.objectContaining({
        type: 'PipelineCompleted',
        status: 'True',
        reason: 'PipelineExecutedSuccessfully',
        message: 'Pipeline completed',
      }),
    ]);
  });
});
