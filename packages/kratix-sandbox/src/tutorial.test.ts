/*
 * The tutorial this product grew from ("Updating the Resource status", Kratix workshop), replayed
 * with real kubectl 1.27 and 1.33 against the sandbox: install the Promise, request the Resource,
 * wait for PipelineCompleted, and see the status the pipeline wrote exactly as the tutorial shows.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { parse } from 'yaml';
import { kubectls } from './__testUtils__/kubectl';
import { DEFAULT_SEED_DIR, startSandbox, type Sandbox } from './sandbox';

const run = promisify(execFile);

describe.each(kubectls)(
  'the status tutorial with kubectl %s',
  (_version, binary) => {
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

    beforeAll(async () => {
      dir = await mkdtemp(join(tmpdir(), 'kratix-tutorial-'));
      sandbox = await startSandbox({
        seed: false,
        stepDelayMs: 200,
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

      // Right after the request, Kratix's default before the workflow has run.
      const early = parse(
        await kubectl('get', 'elastic-clouds', 'example', '-o', 'yaml'),
      );
      expect(early.status?.message ?? 'Pending').toBe('Pending');

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
  },
);
