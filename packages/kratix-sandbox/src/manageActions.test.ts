/*
 * What the Backstage manage actions do to a Resource, done with real kubectl 1.27 and 1.33 against
 * the sandbox: re-run (manual-reconciliation label), pause/resume, spec update (stale
 * resourceVersion → Conflict) and delete through the Promise's delete workflow.
 */
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { parse, stringify } from 'yaml';
import { describeEachKubectl } from './__testUtils__/kubectl';
import { testPromise, thing } from './kratix/__testUtils__/harness';
import { startSandbox, type Sandbox } from './sandbox';

const run = promisify(execFile);

describeEachKubectl('manage actions with kubectl', binary => {
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
        { timeout: 60_000 },
      )
    ).stdout;
  const getYaml = async (name: string) =>
    parse(await kubectl('get', 'widget', name, '-o', 'yaml'));
  const waitFor = (name: string, condition: string) =>
    kubectl('wait', `widget/${name}`, `--for=${condition}`, '--timeout=30s');

  /** The delete pipeline of Resource `held` waits on this fifo: the test decides when it ends. */
  let gate: string;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'kratix-manage-'));
    gate = join(dir, 'gate');
    await run('mkfifo', [gate]);
    const pipelines = join(dir, 'pipelines');
    await mkdir(pipelines);
    // Counts its runs per Resource in status.runs, so each re-run is visible to `kubectl wait`.
    await writeFile(
      join(pipelines, 'count'),
      `echo run >> '${dir}/runs-'"$KRATIX_OBJECT_NAME"\n` +
        `echo "runs: $(wc -l < '${dir}/runs-'"$KRATIX_OBJECT_NAME")" > /kratix/metadata/status.yaml\n`,
      { mode: 0o755 },
    );
    await writeFile(
      join(pipelines, 'cleanup'),
      `if [ "$KRATIX_OBJECT_NAME" = held ]; then read -r _ < '${gate}'; fi\n` +
        `echo "$KRATIX_WORKFLOW_ACTION" > '${dir}/deleted-'"$KRATIX_OBJECT_NAME"\n`,
      { mode: 0o755 },
    );
    sandbox = await startSandbox({
      seed: false,
      stepDelayMs: 0,
      pipelinesDir: pipelines,
      workDir: join(dir, 'work'),
      kubeconfigPath: join(dir, 'kubeconfig'),
    });
    const promise = testPromise('widget', [
      { name: 'configure', images: ['count'] },
    ]);
    (promise.spec as any).workflows.resource.delete = [
      {
        apiVersion: 'platform.kratix.io/v1alpha1',
        kind: 'Pipeline',
        metadata: { name: 'cleanup' },
        spec: { containers: [{ name: 'cleanup', image: 'cleanup' }] },
      },
    ];
    await writeFile(join(dir, 'promise.yaml'), stringify(promise));
    await kubectl('create', '--filename', join(dir, 'promise.yaml'));
    await kubectl(
      'wait',
      'promise/widget',
      '--for=jsonpath={.status.status}=Available',
      '--timeout=30s',
    );
  });
  afterAll(async () => {
    await sandbox.close();
    await rm(dir, { recursive: true, force: true });
  });

  async function request(name: string) {
    await writeFile(
      join(dir, `${name}.yaml`),
      stringify(thing('widget', name)),
    );
    await kubectl('create', '--filename', join(dir, `${name}.yaml`));
    await waitFor(name, 'jsonpath={.status.runs}=1');
    await waitFor(name, 'condition=Reconciled');
  }

  it('re-runs on the manual-reconciliation label, which Kratix removes', async () => {
    await request('rerun');
    await kubectl(
      'label',
      'widget',
      'rerun',
      'kratix.io/manual-reconciliation=true',
    );
    await waitFor('rerun', 'jsonpath={.status.runs}=2');
    await waitFor('rerun', 'condition=Reconciled');
    const rr = await getYaml('rerun');
    expect(rr.metadata.labels).not.toHaveProperty(
      'kratix.io/manual-reconciliation',
    );
  });

  it('pauses on kratix.io/paused and resumes, re-running, when it is removed', async () => {
    await request('pausable');
    await kubectl('label', 'widget', 'pausable', 'kratix.io/paused=true');
    // (kubectl 1.27 cannot wait on a jsonpath filter; the condition's status is enough here.)
    await waitFor('pausable', 'condition=Reconciled=Unknown');
    // A spec change while paused does not run the workflow.
    await kubectl(
      'patch',
      'widget',
      'pausable',
      '--type=merge',
      '--patch={"spec":{"size":"large"}}',
    );
    const paused = await getYaml('pausable');
    expect(paused.status.runs).toBe(1);
    expect(
      paused.status.conditions.find((c: any) => c.type === 'Reconciled'),
    ).toMatchObject({ status: 'Unknown', message: 'Paused' });

    await kubectl('label', 'widget', 'pausable', 'kratix.io/paused-');
    await waitFor('pausable', 'jsonpath={.status.runs}=2');
    await waitFor('pausable', 'jsonpath={.status.observedGeneration}=2');
    await waitFor('pausable', 'condition=Reconciled');
  });

  it('refuses a replace with a stale resourceVersion; a spec change re-runs the workflow', async () => {
    await request('edited');
    const stale = await getYaml('edited');
    await kubectl('label', 'widget', 'edited', 'team=a'); // moves resourceVersion on
    stale.spec.size = 'large';
    await writeFile(join(dir, 'stale.yaml'), stringify(stale));
    await expect(
      kubectl('replace', '--filename', join(dir, 'stale.yaml')),
    ).rejects.toMatchObject({
      stderr: expect.stringMatching(/Conflict|the object has been modified/),
    });
    expect((await getYaml('edited')).spec.size).toBe('small');

    await kubectl(
      'patch',
      'widget',
      'edited',
      '--type=merge',
      '--patch={"spec":{"size":"large"}}',
    );
    await waitFor('edited', 'jsonpath={.status.runs}=2');
    await waitFor('edited', 'jsonpath={.status.observedGeneration}=2');
  });

  it('`kubectl delete` returns once the delete workflow has run and the Resource is gone', async () => {
    await request('removed');
    await kubectl('delete', 'widget', 'removed'); // --wait is the default
    await expect(kubectl('get', 'widget', 'removed')).rejects.toMatchObject({
      stderr: expect.stringContaining('NotFound'),
    });
    expect(await readFile(join(dir, 'deleted-removed'), 'utf8')).toBe(
      'delete\n',
    );
  });

  it('keeps a deleting Resource, with its finalizers, while the delete pipeline runs', async () => {
    await request('held');
    await kubectl('delete', 'widget', 'held', '--wait=false');
    const deleting = await getYaml('held');
    expect(deleting.metadata.deletionTimestamp).toBeDefined();
    expect(deleting.metadata.finalizers).toContain(
      'kratix.io/delete-workflows',
    );
    await writeFile(gate, 'go\n'); // returns once the delete pipeline reads it
    await kubectl('wait', 'widget/held', '--for=delete', '--timeout=30s');
    expect(await readFile(join(dir, 'deleted-held'), 'utf8')).toBe('delete\n');
  });
});
