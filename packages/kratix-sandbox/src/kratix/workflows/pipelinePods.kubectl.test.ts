/*
 * Pipeline Pods and their logs as a platform engineer reads them with real kubectl (1.27 and 1.33):
 * `kubectl get pods -l kratix.io/resource-name=…`, `kubectl logs job/…` plain, with `-c`, `--tail`
 * and `-f` on a run the test holds open, on a succeeded and a failed run. Waits are on store
 * events and the log stream itself, never the clock.
 */
import { execFile, spawn } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describeEachKubectl } from '../../__testUtils__/kubectl';
import {
  containerState,
  type PodsSandbox,
  startPodsSandbox,
} from '../../__testUtils__/podsSandbox';
import type { KubeObject } from '../../store/types';

const run = promisify(execFile);

const jobOf = (pod: KubeObject) => pod.metadata.labels!['job-name'];
const phaseIs = (phase: string) => (pod: KubeObject) =>
  (pod.status as any)?.phase === phase;

describeEachKubectl('pipeline Pods and logs through kubectl', binary => {
  let p: PodsSandbox;
  const version = binary.replace(/.*kubectl\./, '').replace('.', '');
  const args = (...rest: string[]) => [
    '--kubeconfig',
    p.kubeconfig,
    '--cache-dir',
    join(p.dir, `cache-${version}`),
    ...rest,
  ];
  const kubectl = (...rest: string[]) =>
    run(binary, args(...rest), { timeout: 60_000 });
  /** kubectl's exit code and stderr when it fails. */
  const kubectlFails = (...rest: string[]) =>
    kubectl(...rest).then(
      () => {
        throw new Error(`kubectl ${rest.join(' ')} succeeded`);
      },
      (error: { code: number; stderr: string }) => ({
        code: error.code,
        stderr: error.stderr,
      }),
    );

  let succeeded: KubeObject;
  let failed: KubeObject;

  beforeAll(async () => {
    p = await startPodsSandbox();
    p.create('jenkins', `ok-${version}`);
    p.create('jenkins', `broken-${version}`, 'fail');
    [succeeded, failed] = await Promise.all([
      p.untilPod(`ok-${version}`, phaseIs('Succeeded')),
      p.untilPod(`broken-${version}`, phaseIs('Failed')),
    ]);
  });
  afterAll(async () => {
    await p?.close();
  });

  it('get pods -l kratix.io/resource-name lists the run: Completed, or Init:Error where it failed', async () => {
    const rows = async (name: string) =>
      (
        await kubectl(
          'get',
          'pods',
          '-n',
          'default',
          '-l',
          `kratix.io/resource-name=${name}`,
          '--no-headers',
        )
      ).stdout
        .trim()
        .split('\n')
        .map(line => line.trim().split(/\s+/).slice(0, 4));
    expect(await rows(`ok-${version}`)).toEqual([
      [succeeded.metadata.name, '0/1', 'Completed', '0'],
    ]);
    expect(await rows(`broken-${version}`)).toEqual([
      [failed.metadata.name, '0/1', 'Init:Error', '0'],
    ]);
  });

  it('logs job/<job> plain defaults to status-writer, the one main container', async () => {
    const plain = await kubectl(
      'logs',
      '-n',
      'default',
      `job/${jobOf(succeeded)}`,
    );
    expect(plain.stderr).toContain(
      'Defaulted container "status-writer" out of:',
    );
    // A failed pipeline never runs its status-writer: Kubernetes' error, as kubectl prints it.
    const never = await kubectlFails(
      'logs',
      '-n',
      'default',
      `job/${jobOf(failed)}`,
    );
    expect(never.code).toBe(1);
    expect(never.stderr).toContain(
      `container "status-writer" in pod "${failed.metadata.name}" is waiting to start: PodInitializing`,
    );
  });

  it('logs job/<job> -c <container> shows that container, stdout and stderr', async () => {
    const reader = await kubectl(
      'logs',
      '-n',
      'default',
      `job/${jobOf(succeeded)}`,
      '-c',
      'reader',
    );
    expect(reader.stdout).toContain(
      'Object file written to: /kratix/input/object.yaml head of file:',
    );
    expect(reader.stdout).toContain(`name: ok-${version}`);
    const pipeline = await kubectl(
      'logs',
      '-n',
      'default',
      `job/${jobOf(failed)}`,
      '-c',
      'jenkins-configure-pipeline',
    );
    // Written to stderr by the script, before it exited 1.
    expect(pipeline.stdout).toBe(
      'jenkins: could not render the Jenkins instance (simulated failure)\n',
    );
    const wrong = await kubectlFails(
      'logs',
      '-n',
      'default',
      `job/${jobOf(failed)}`,
      '-c',
      'nope',
    );
    expect(wrong.stderr).toContain(
      `container nope is not valid for pod ${failed.metadata.name}`,
    );
  });

  it('logs --tail keeps the last lines', async () => {
    const all = (
      await kubectl(
        'logs',
        '-n',
        'default',
        `job/${jobOf(succeeded)}`,
        '-c',
        'reader',
      )
    ).stdout;
    const tail = (
      await kubectl(
        'logs',
        '-n',
        'default',
        `job/${jobOf(succeeded)}`,
        '-c',
        'reader',
        '--tail=2',
      )
    ).stdout;
    const lines = all.trimEnd().split('\n');
    expect(lines.length).toBeGreaterThan(2);
    expect(tail).toBe(`${lines.slice(-2).join('\n')}\n`);
  });

  it('logs -f streams a running container and ends when it ends', async () => {
    const name = `held-${version}`;
    p.create('redis', name, 'slow');
    const running = await p.untilPod(
      name,
      pod => !!containerState(pod, 'redis-configure-pipeline')?.running,
    );
    const follow = spawn(
      binary,
      args(
        'logs',
        '-f',
        '-n',
        'default',
        `job/${jobOf(running)}`,
        '-c',
        'redis-configure-pipeline',
      ),
    );
    let stdout = '';
    const closed = new Promise<number | null>(resolve =>
      follow.on('close', code => resolve(code)),
    );
    // The first line arrives while the container still runs (the test has not released it).
    await new Promise<void>(resolve => {
      follow.stdout.on('data', chunk => {
        stdout += chunk;
        if (stdout.includes('simulating a long-running pipeline\n')) resolve();
      });
    });
    expect(follow.exitCode).toBeNull();
    expect(
      containerState(
        p.sandbox.store.get(
          { group: '', plural: 'pods' },
          'default',
          running.metadata.name,
        )!,
        'redis-configure-pipeline',
      )?.running,
    ).toBeDefined();
    await p.release();
    expect(await closed).toBe(0);
    expect(stdout).toBe('simulating a long-running pipeline\nreleased\n');
  });
});
