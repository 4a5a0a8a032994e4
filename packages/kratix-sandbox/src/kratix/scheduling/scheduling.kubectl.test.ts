/*
 * Scheduling as a platform engineer sees it with real kubectl (1.27 and 1.33): Kratix's columns
 * for works, workplacements and destinations, `kubectl explain` from the published OpenAPI, and a
 * Resource's WorksSucceeded / Reconciled as Destinations are annotated and relabelled. Every wait
 * is `kubectl wait` on a condition or the emulator's idle signal, never a sleep.
 */
import { execFile } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describeEachKubectl } from '../../__testUtils__/kubectl';
import { readSeed } from '../__testUtils__/harness';
import {
  redisYaml,
  resetDestinations,
  SEEDED_PROMISES,
  type ServedPlatform,
  startServedPlatform,
} from './__testUtils__/servedPlatform';

const run = promisify(execFile);

/** Splits a kubectl table into rows of cells (columns are two or more spaces apart). */
const table = (text: string) =>
  text
    .trim()
    .split('\n')
    .map(line => line.trim().split(/\s{2,}/));

describeEachKubectl('Kratix scheduling through kubectl', binary => {
  let p: ServedPlatform;

  const kubectl = async (...args: string[]) => {
    const { stdout } = await run(
      binary,
      [
        '--kubeconfig',
        p.kubeconfig,
        '--cache-dir',
        join(p.dir, 'cache'),
        ...args,
      ],
      { timeout: 60000 },
    );
    return stdout;
  };
  const wait = (what: string, name: string) =>
    kubectl(
      'wait',
      `--for=condition=${what}`,
      '--timeout=30s',
      `redis/${name}`,
    );
  const condition = (name: string, type: string) =>
    kubectl(
      'get',
      'redis',
      name,
      '-o',
      `jsonpath={.status.conditions[?(@.type=="${type}")].status}/{.status.conditions[?(@.type=="${type}")].reason}`,
    );
  const createRedis = async (name: string) => {
    const file = join(p.dir, `${name}.yaml`);
    await writeFile(file, redisYaml(name));
    await kubectl('apply', '-f', file);
  };
  const workOf = async (name: string) =>
    kubectl(
      'get',
      'works',
      '-n',
      'default',
      '-l',
      `kratix.io/resource-name=${name}`,
      '-o',
      'jsonpath={.items[*].metadata.name}',
    );
  /** [destination, status] of each of the Work's placements. */
  const placementsOf = async (work: string) =>
    table(
      await kubectl(
        'get',
        'workplacements',
        '-A',
        '-l',
        `kratix.io/work=${work}`,
      ),
    )
      .slice(1)
      .map(row => row.slice(2));

  beforeAll(async () => {
    p = await startServedPlatform(SEEDED_PROMISES);
  });
  afterAll(async () => {
    await p?.close();
  });
  beforeEach(async () => {
    await resetDestinations(p.h);
  });

  it('explains the spec of every seeded Promise kind from the published OpenAPI', async () => {
    for (const name of SEEDED_PROMISES) {
      const crd = (readSeed(`promises/${name}.yaml`).spec as any).api;
      const version = crd.spec.versions[0];
      const fields = Object.keys(
        version.schema.openAPIV3Schema.properties.spec.properties,
      );
      const out = await kubectl('explain', `${crd.spec.names.plural}.spec`);
      expect(out).toMatch(new RegExp(`^GROUP:\\s+${crd.spec.group}$`, 'm'));
      expect(out).toMatch(new RegExp(`^KIND:\\s+${crd.spec.names.kind}$`, 'm'));
      expect(out).toMatch(new RegExp(`^VERSION:\\s+${version.name}$`, 'm'));
      expect(out).toMatch(/^FIELD:\s+spec <Object>$/m);
      expect(fields.length).toBeGreaterThan(0);
      for (const field of fields)
        expect(out).toMatch(new RegExp(`^ {2}${field}\\t<`, 'm'));
    }
  });

  it('explains works, workplacements and destinations, down to nested fields', async () => {
    const works = await kubectl('explain', 'works.spec');
    expect(works).toMatch(/^KIND:\s+Work$/m);
    expect(works).toMatch(/^ {2}workloadGroups\t<\[\]Object>$/m);
    expect(works).toMatch(/^ {2}promiseName\t<string>$/m);
    const selectors = await kubectl(
      'explain',
      'works.spec.workloadGroups.destinationSelectors',
    );
    expect(selectors).toMatch(/^ {2}matchLabels\t<map\[string\]string>$/m);
    expect(await kubectl('explain', 'workplacements.spec')).toMatch(
      /^ {2}targetDestinationName\t<string>$/m,
    );
    const destinations = await kubectl('explain', 'destinations.spec');
    expect(destinations).toMatch(/^KIND:\s+Destination$/m);
    expect(destinations).toMatch(/^ {2}strictMatchLabels\t<boolean>$/m);
    expect(await kubectl('explain', 'destinations.metadata')).toMatch(
      /^ {2}labels\t<map\[string\]string>$/m,
    );
    await expect(
      kubectl('explain', 'works.spec.nosuchfield'),
    ).rejects.toMatchObject({
      stderr: expect.stringContaining('field "nosuchfield" does not exist'),
    });
  });

  it("prints Kratix's columns for works and workplacements across namespaces, and destinations", async () => {
    await createRedis('columns');
    await wait('Reconciled', 'columns');
    const work = await workOf('columns');
    const out = await kubectl('get', 'works,workplacements', '-A');
    const [works, placements] = out
      .trim()
      .split(/\n\s*\n/)
      .map(table);
    expect(works[0]).toEqual(['NAMESPACE', 'NAME', 'STATUS']);
    expect(works).toContainEqual([
      'default',
      `work.platform.kratix.io/${work}`,
      'Ready',
    ]);
    expect(placements[0]).toEqual([
      'NAMESPACE',
      'NAME',
      'DESTINATION',
      'STATUS',
    ]);
    expect(placements).toContainEqual([
      'default',
      expect.stringMatching(
        new RegExp(
          `^workplacement\\.platform\\.kratix\\.io/${work}\\.dev-[0-9a-f]{5}$`,
        ),
      ),
      'dev',
      'Ready',
    ]);
    const destinations = table(await kubectl('get', 'destinations'));
    expect(destinations).toEqual([
      ['NAME', 'READY'],
      ['dev', 'True'],
      ['prod', 'True'],
    ]);
  });

  it('reports a scheduled Resource WorksSucceeded and Reconciled', async () => {
    await createRedis('scheduled');
    await wait('WorksSucceeded', 'scheduled');
    await wait('Reconciled', 'scheduled');
    expect(await condition('scheduled', 'WorksSucceeded')).toBe(
      'True/WorksSucceeded',
    );
    expect(await condition('scheduled', 'Reconciled')).toBe('True/Reconciled');
    expect(await placementsOf(await workOf('scheduled'))).toEqual([
      ['dev', 'Ready'],
    ]);
  });

  it('reports WorksFailing while the Destination is annotated unhealthy, and recovers', async () => {
    await createRedis('unhealthy');
    await wait('WorksSucceeded', 'unhealthy');
    const work = await workOf('unhealthy');

    await kubectl(
      'annotate',
      'destination',
      'dev',
      'sandbox.kratix.io/unhealthy=true',
    );
    await wait('WorksSucceeded=False', 'unhealthy');
    await wait('Reconciled=False', 'unhealthy');
    expect(await condition('unhealthy', 'WorksSucceeded')).toBe(
      'False/WorksFailing',
    );
    expect(await condition('unhealthy', 'Reconciled')).toBe(
      'False/WorksFailing',
    );
    expect(await placementsOf(work)).toEqual([['dev', 'Failing']]);
    await kubectl(
      'wait',
      '--for=condition=Ready=False',
      '--timeout=30s',
      'destination/dev',
    );
    expect(table(await kubectl('get', 'destination', 'dev'))[1]).toEqual([
      'dev',
      'False',
    ]);

    await kubectl(
      'annotate',
      'destination',
      'dev',
      'sandbox.kratix.io/unhealthy-',
    );
    await wait('WorksSucceeded=True', 'unhealthy');
    await wait('Reconciled=True', 'unhealthy');
    expect(await placementsOf(work)).toEqual([['dev', 'Ready']]);
  });

  it('reports WorksMisplaced when the Destination is relabelled, never moves the Work, and recovers when it matches again', async () => {
    await createRedis('relabelled');
    await wait('WorksSucceeded', 'relabelled');
    const work = await workOf('relabelled');

    await kubectl(
      'label',
      'destination',
      'dev',
      'environment=x',
      '--overwrite',
    );
    await wait('WorksSucceeded=False', 'relabelled');
    await wait('Reconciled=False', 'relabelled');
    expect(await condition('relabelled', 'WorksSucceeded')).toBe(
      'False/WorksMisplaced',
    );
    expect(await condition('relabelled', 'Reconciled')).toBe(
      'False/WorksFailing',
    );
    expect(
      table(await kubectl('get', 'works', '-n', 'default', work))[1],
    ).toEqual([work, 'Misplaced']);
    expect(
      await kubectl(
        'get',
        'workplacements',
        '-A',
        '-l',
        `kratix.io/work=${work},kratix.io/misplaced=true`,
        '-o',
        'jsonpath={.items[*].spec.targetDestinationName}',
      ),
    ).toBe('dev');
    // Kratix's Events about the Work, as `kubectl get events` finds them.
    expect(
      await kubectl(
        'get',
        'events',
        '-n',
        'default',
        '--field-selector',
        `involvedObject.name=${work},reason=DestinationSelectorMismatch`,
        '-o',
        'jsonpath={.items[*].type}',
      ),
    ).toBe('Warning');

    // Another Destination matching does not move a Resource's Work (Kratix never reschedules it).
    await kubectl(
      'label',
      'destination',
      'prod',
      'environment=dev',
      '--overwrite',
    );
    await p.h.emulator.idle();
    expect(await placementsOf(work)).toEqual([['dev', 'Misplaced']]);
    expect(await condition('relabelled', 'WorksSucceeded')).toBe(
      'False/WorksMisplaced',
    );

    await kubectl(
      'label',
      'destination',
      'dev',
      'environment=dev',
      '--overwrite',
    );
    await wait('WorksSucceeded=True', 'relabelled');
    await wait('Reconciled=True', 'relabelled');
    expect(await placementsOf(work)).toEqual([['dev', 'Ready']]);
  });

  it('keeps a Resource WorksPending without a matching Destination, and places it where a relabelled Destination now matches', async () => {
    await kubectl(
      'label',
      'destination',
      'dev',
      'environment=x',
      '--overwrite',
    );
    await createRedis('pending');
    await wait('WorksSucceeded=Unknown', 'pending');
    expect(await condition('pending', 'WorksSucceeded')).toBe(
      'Unknown/WorksPending',
    );
    const work = await workOf('pending');
    expect(
      table(await kubectl('get', 'works', '-n', 'default', work))[1],
    ).toEqual([work, 'Pending']);
    expect(await placementsOf(work)).toEqual([]);

    await kubectl(
      'label',
      'destination',
      'prod',
      'environment=dev',
      '--overwrite',
    );
    await wait('WorksSucceeded=True', 'pending');
    await wait('Reconciled=True', 'pending');
    expect(await placementsOf(work)).toEqual([['prod', 'Ready']]);
  });
});
