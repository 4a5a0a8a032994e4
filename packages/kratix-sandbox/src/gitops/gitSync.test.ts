/*
 * The sandbox's Git sync, end to end with the real git over HTTP: what is pushed under the path is
 * applied to the sandbox (read back through its Kubernetes API) and runs Kratix's emulated
 * workflow; a changed file updates the Resource, a removed one deletes it; bad files are reported
 * and the rest still applies; objects the sync did not create are never touched.
 */
import {
  CoreV1Api,
  CustomObjectsApi,
  KubeConfig,
} from '@kubernetes/client-node';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  describeWithGit,
  GitWorkTree,
  withCredentials,
} from '../__testUtils__/git';
import type { Logger } from '../kratix';
import type { KubeObject } from '../store/types';
import { startSandbox, type Sandbox } from '../sandbox';
import {
  GIT_SYNC_SUSPEND_CONFIG_MAP,
  SYNCED_BY_LABEL,
  SYNCED_BY_VALUE,
  SYNCED_FROM_ANNOTATION,
} from './gitSync';
import type { GitSyncResult } from './types';

const REDIS = {
  group: 'marketplace.kratix.io',
  version: 'v1alpha1',
  namespace: 'default',
  plural: 'redis',
};

/** A redis Resource request as a file would hold it. */
function redisYaml(
  name: string,
  spec: Record<string, unknown>,
  annotations: Record<string, string> = {},
): string {
  return [
    'apiVersion: marketplace.kratix.io/v1alpha1',
    'kind: redis',
    'metadata:',
    `  name: ${name}`,
    ...(Object.keys(annotations).length
      ? [
          '  annotations:',
          ...Object.entries(annotations).map(([k, v]) => `    ${k}: "${v}"`),
        ]
      : []),
    'spec:',
    ...Object.entries(spec).map(([k, v]) => `  ${k}: ${v}`),
    '',
  ].join('\n');
}

describeWithGit("the sandbox's Git sync", () => {
  jest.setTimeout(120_000);
  let sandbox: Sandbox;
  let git: NonNullable<Sandbox['git']>;
  let tree: GitWorkTree;
  let api: CustomObjectsApi;
  let core: CoreV1Api;
  const warnings: string[] = [];
  const infos: string[] = [];
  const logger: Logger = {
    info: message => infos.push(message),
    warn: message => warnings.push(message),
    error: message => warnings.push(message),
  };

  /** The Resource as the sandbox's Kubernetes API serves it, or undefined on 404. */
  const read = async (name: string): Promise<any> => {
    try {
      return await api.getNamespacedCustomObject({ ...REDIS, name });
    } catch (error: any) {
      if (error?.code === 404) return undefined;
      throw error;
    }
  };
  /** Resolves once the stored Resource satisfies `done` (checked now and after every change). */
  const until = (name: string, done: (o: KubeObject | undefined) => boolean) =>
    new Promise<void>(resolve => {
      const check = () =>
        done(
          sandbox.store.get(
            { group: REDIS.group, plural: REDIS.plural },
            'default',
            name,
          ),
        );
      if (check()) {
        resolve();
        return;
      }
      const stop = sandbox.store.subscribe(() => {
        if (check()) {
          stop();
          resolve();
        }
      });
    });
  const push = async (message: string) => {
    const commit = await tree.commitAll(message);
    await tree.ok('push', '--quiet', 'origin', 'HEAD:main');
    return commit;
  };

  beforeAll(async () => {
    sandbox = await startSandbox({
      stepDelayMs: 20,
      logger,
      // On demand only: each test decides when the sync runs.
      git: { intervalSeconds: 0 },
    });
    await sandbox.ready;
    git = sandbox.git!;
    tree = await GitWorkTree.clone(
      withCredentials(git.url, git.username, git.token),
    );
    const kc = new KubeConfig();
    kc.loadFromOptions({
      clusters: [
        {
          name: 'sandbox',
          server: sandbox.url,
          caData: Buffer.from(sandbox.certificate!).toString('base64'),
        },
      ],
      users: [{ name: 'admin', token: sandbox.token }],
      contexts: [{ name: 'sandbox', cluster: 'sandbox', user: 'admin' }],
      currentContext: 'sandbox',
    });
    api = kc.makeApiClient(CustomObjectsApi);
    core = kc.makeApiClient(CoreV1Api);
  });
  afterAll(async () => {
    await sandbox?.close();
    tree?.remove();
  });

  it('creates a pushed Resource, whose workflow then runs to completion, and leaves it be when nothing changed', async () => {
    const path = 'kratix-requests/default/redis-from-git.yaml';
    tree.write(
      path,
      redisYaml('from-git', { size: 'small' }, { 'example.com/note': 'first' }),
    );
    const commit = await push('Request redis from-git');

    const result = await git.sync();
    expect(result.revision).toBe(commit);
    expect(result.errors).toEqual([]);
    expect(result.changes).toEqual([
      {
        path,
        apiVersion: 'marketplace.kratix.io/v1alpha1',
        kind: 'redis',
        namespace: 'default',
        name: 'from-git',
        action: 'created',
      },
    ]);
    expect(git.lastSync).toBe(result);

    const created = await read('from-git');
    expect(created.spec).toEqual({ size: 'small' });
    expect(created.metadata.labels[SYNCED_BY_LABEL]).toBe(SYNCED_BY_VALUE);
    expect(created.metadata.annotations).toMatchObject({
      [SYNCED_FROM_ANNOTATION]: path,
      'example.com/note': 'first',
    });
    // Applied through the API server, as the sandbox's admin (the seed is loaded in-process).
    expect(
      sandbox.requestLog
        .entries(r => r.verb === 'create' && r.resource === 'redis')
        .map(r => [r.user, r.namespace, r.allowed]),
    ).toEqual([['sandbox-admin', 'default', true]]);

    // The seed's slow Resource keeps the emulator busy: wait for this one's workflow only.
    await until('from-git', o =>
      (o?.status as any)?.conditions?.some(
        (c: any) =>
          c.type === 'ConfigureWorkflowCompleted' && c.status === 'True',
      ),
    );
    const done = await read('from-git');
    expect(
      done.status.conditions.find(
        (c: any) => c.type === 'ConfigureWorkflowCompleted',
      ),
    ).toMatchObject({ status: 'True' });

    const again = await git.sync();
    expect(again.changes.map(c => c.action)).toEqual(['unchanged']);
    expect((await read('from-git')).metadata.resourceVersion).toBe(
      done.metadata.resourceVersion,
    );
  });

  it('updates the Resource when its file changes, removing what the file no longer declares', async () => {
    const before = await read('from-git');
    const path = 'kratix-requests/default/redis-from-git.yaml';
    tree.write(path, redisYaml('from-git', { size: 'large' }));
    await push('Make from-git large');

    const result = await git.sync();
    expect(result.errors).toEqual([]);
    expect(result.changes).toEqual([
      expect.objectContaining({ name: 'from-git', action: 'updated' }),
    ]);
    const after = await read('from-git');
    expect(after.spec).toEqual({ size: 'large' });
    expect(after.metadata.generation).toBe(before.metadata.generation + 1);
    expect(after.metadata.annotations['example.com/note']).toBeUndefined();
    // What Kratix added is kept.
    expect(after.metadata.finalizers).toEqual(before.metadata.finalizers);
    expect(after.metadata.finalizers.length).toBeGreaterThan(0);
  });

  it('deletes the Resource when its file is removed', async () => {
    await tree.ok(
      'rm',
      '--quiet',
      'kratix-requests/default/redis-from-git.yaml',
    );
    await push('Remove from-git');

    const result = await git.sync();
    expect(result.errors).toEqual([]);
    expect(result.changes).toEqual([
      {
        path: 'kratix-requests/default/redis-from-git.yaml',
        apiVersion: 'marketplace.kratix.io/v1alpha1',
        kind: 'redis',
        namespace: 'default',
        name: 'from-git',
        action: 'deleted',
      },
    ]);
    // Kratix's finalizers (its delete workflow) run their course first.
    await until('from-git', o => o === undefined);
    expect(await read('from-git')).toBeUndefined();
    // The seeded Resource of the same kind was never the sync's.
    expect(await read('example')).toBeDefined();
  });

  it('reports an invalid file and a refused object, applies the rest, and keeps what a broken file applied before', async () => {
    tree.write('kratix-requests/broken.yaml', 'spec: [unclosed\n');
    tree.write(
      'kratix-requests/refused.yaml',
      redisYaml('refused', { size: 'huge' }),
    );
    tree.write(
      'kratix-requests/good.yaml',
      redisYaml('good', { size: 'small' }),
    );
    tree.write('kratix-requests/notes.txt', 'not YAML, not read\n');
    warnings.length = 0;
    await push('Three files, two bad');

    const result = await git.sync();
    expect(result.changes).toEqual([
      expect.objectContaining({
        path: 'kratix-requests/good.yaml',
        name: 'good',
        action: 'created',
      }),
    ]);
    expect(result.errors).toEqual([
      {
        path: 'kratix-requests/broken.yaml',
        message: expect.stringMatching(
          /^invalid YAML: .* at line \d+, column \d+/s,
        ),
      },
      {
        path: 'kratix-requests/refused.yaml',
        object: 'redis default/refused',
        message: expect.stringContaining('spec.size'),
      },
    ]);
    expect(await read('good')).toBeDefined();
    expect(await read('refused')).toBeUndefined();
    // One log line per bad file, naming it.
    expect(warnings).toEqual([
      expect.stringContaining('kratix-requests/broken.yaml: invalid YAML'),
      expect.stringContaining(
        'kratix-requests/refused.yaml (redis default/refused)',
      ),
    ]);

    // good.yaml breaks: what it applied stays until a commit says otherwise.
    tree.write('kratix-requests/good.yaml', 'metadata: {name: good\n');
    await push('Break good.yaml');
    const broken = await git.sync();
    expect(broken.errors.map(e => e.path)).toEqual([
      'kratix-requests/broken.yaml',
      'kratix-requests/good.yaml',
      'kratix-requests/refused.yaml',
    ]);
    expect(broken.changes).toEqual([]);
    expect(await read('good')).toBeDefined();

    await tree.ok('rm', '--quiet', 'kratix-requests/broken.yaml');
    await tree.ok('rm', '--quiet', 'kratix-requests/refused.yaml');
    await tree.ok('rm', '--quiet', 'kratix-requests/good.yaml');
    await push('Clean up');
    const cleaned = await git.sync();
    expect(cleaned.errors).toEqual([]);
    expect(cleaned.changes).toEqual([
      expect.objectContaining({ name: 'good', action: 'deleted' }),
    ]);
  });

  it('neither takes over nor deletes an object it did not create', async () => {
    const seeded = await read('example');
    tree.write(
      'kratix-requests/example.yaml',
      redisYaml('example', { size: 'large' }),
    );
    await push('Claim the seeded example');
    const result = await git.sync();
    expect(result.changes).toEqual([]);
    expect(result.errors).toEqual([
      {
        path: 'kratix-requests/example.yaml',
        object: 'redis default/example',
        message:
          'redis default/example already exists and was not created by the Git sync: it is left alone',
      },
    ]);

    await tree.ok('rm', '--quiet', 'kratix-requests/example.yaml');
    await push('Let go of it');
    expect((await git.sync()).changes).toEqual([]);
    const after = await read('example');
    expect(after.spec).toEqual(seeded.spec);
    expect(after.metadata.resourceVersion).toBe(
      seeded.metadata.resourceVersion,
    );
  });

  it('applies and deletes nothing while flux-system/kratix-requests-sync suspends it, and catches up once resumed', async () => {
    const { namespace, name: switchName } = GIT_SYNC_SUSPEND_CONFIG_MAP;
    /** The switch as kubectl create configmap --from-literal=suspend=<value> sends it. */
    const body = (suspend: string) => ({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: switchName, namespace },
      data: { suspend },
    });
    const lines = (word: string) => infos.filter(l => l.includes(word));
    // The namespace Flux lives in is there with the Git sync, for the switch to go in.
    expect((await core.readNamespace({ name: namespace })).status?.phase).toBe(
      'Active',
    );
    infos.length = 0;
    await core.createNamespacedConfigMap({ namespace, body: body('true') });

    const path = 'kratix-requests/default/redis-held.yaml';
    tree.write(path, redisYaml('held', { size: 'small' }));
    const commit = await push('Request held');
    const held = await git.sync();
    expect(held).toMatchObject({ suspended: true, changes: [], errors: [] });
    // Not even read, as a suspended Kustomization does not fetch.
    expect(held.revision).toBeUndefined();
    expect(git.lastSync).toBe(held);
    expect(await read('held')).toBeUndefined();
    // Still suspended at the next sync: told once, not at every one.
    expect((await git.sync()).suspended).toBe(true);
    expect(lines('Git sync suspended')).toHaveLength(1);

    // Anything but "true" lets it run: what was pushed meanwhile is applied.
    const replace = (suspend: string) =>
      core.replaceNamespacedConfigMap({
        namespace,
        name: switchName,
        body: body(suspend),
      });
    await replace('false');
    const resumed = await git.sync();
    expect(resumed.suspended).toBe(false);
    expect(resumed.revision).toBe(commit);
    expect(resumed.changes).toEqual([
      expect.objectContaining({ path, name: 'held', action: 'created' }),
    ]);
    expect(await read('held')).toBeDefined();
    expect(lines('Git sync resumed')).toHaveLength(1);

    // Suspended again, a removed file is not pruned either; deleting the switch resumes.
    await replace('true');
    await tree.ok('rm', '--quiet', path);
    await push('Remove held');
    expect(await git.sync()).toMatchObject({ suspended: true, changes: [] });
    expect(await read('held')).toBeDefined();
    expect(lines('Git sync suspended')).toHaveLength(2);
    await core.deleteNamespacedConfigMap({ namespace, name: switchName });
    const pruned = await git.sync();
    expect(pruned.suspended).toBe(false);
    expect(pruned.changes).toEqual([
      expect.objectContaining({ path, name: 'held', action: 'deleted' }),
    ]);
    expect(lines('Git sync resumed')).toHaveLength(2);
  });
});

describeWithGit("the sandbox's Git sync on its interval", () => {
  jest.setTimeout(120_000);
  let sandbox: Sandbox;
  let tree: GitWorkTree | undefined;

  afterAll(async () => {
    await sandbox?.close();
    tree?.remove();
  });

  it('applies a push without anyone calling sync()', async () => {
    sandbox = await startSandbox({
      stepDelayMs: 20,
      git: { intervalSeconds: 0.2 },
    });
    const git = sandbox.git!;
    // Every sync on the interval is told to listeners.
    const createdBy: Array<string | undefined> = [];
    git.onSync(result => {
      if (
        result.changes.some(c => c.name === 'ticking' && c.action === 'created')
      )
        createdBy.push(result.revision);
    });
    /** The first sync told after now that applied `revision`. */
    const syncOf = (revision: string) =>
      new Promise<GitSyncResult>(resolve => {
        const stop = git.onSync(result => {
          if (result.revision === revision) {
            stop();
            resolve(result);
          }
        });
      });

    await sandbox.ready;
    tree = await GitWorkTree.clone(
      withCredentials(git.url, git.username, git.token),
    );
    tree.write(
      'kratix-requests/ticking.yaml',
      redisYaml('ticking', { size: 'small' }),
    );
    const wanted = await tree.commitAll('Request ticking');
    const synced = syncOf(wanted);
    await tree.ok('push', '--quiet', 'origin', 'HEAD:main');

    const result = await synced;
    expect(result.errors).toEqual([]);
    expect(result.changes).toEqual([
      expect.objectContaining({ name: 'ticking', action: 'created' }),
    ]);
    expect(git.lastSync?.revision).toBe(wanted);
    expect(
      sandbox.store.get(
        { group: 'marketplace.kratix.io', plural: 'redis' },
        'default',
        'ticking',
      )?.metadata.annotations?.[SYNCED_FROM_ANNOTATION],
    ).toBe('kratix-requests/ticking.yaml');
    // Created by exactly one sync.
    expect(createdBy).toEqual([wanted]);
  });
});

describeWithGit(
  "the sandbox's Git sync after a restart with a new repository",
  () => {
    jest.setTimeout(120_000);
    const cleanup: Array<() => unknown> = [];
    afterAll(async () => {
      for (const step of cleanup.reverse()) await step();
    });

    it('leaves what the earlier repository applied until the new one declares it', async () => {
      const dir = mkdtempSync(join(tmpdir(), 'kratix-git-restart-'));
      cleanup.push(() => rmSync(dir, { recursive: true, force: true }));
      const snapshotFile = join(dir, 'snapshot.json');
      const key = { group: REDIS.group, plural: REDIS.plural };

      // The first sandbox applies a Resource and keeps its state; its temp repository goes with it.
      const first = await startSandbox({
        stepDelayMs: 20,
        snapshotFile,
        git: { intervalSeconds: 0 },
      });
      cleanup.push(() => first.close());
      await first.ready;
      const firstTree = await GitWorkTree.clone(
        withCredentials(first.git!.url, first.git!.username, first.git!.token),
      );
      cleanup.push(() => firstTree.remove());
      firstTree.write(
        'kratix-requests/kept.yaml',
        redisYaml('kept', { size: 'small' }),
      );
      await firstTree.commitAll('Request kept');
      await firstTree.ok('push', '--quiet', 'origin', 'HEAD:main');
      expect((await first.git!.sync()).changes).toEqual([
        expect.objectContaining({ name: 'kept', action: 'created' }),
      ]);
      await first.close();

      // The second restores the state next to a new, empty repository.
      const second = await startSandbox({
        stepDelayMs: 20,
        snapshotFile,
        git: { intervalSeconds: 0 },
      });
      cleanup.push(() => second.close());
      await second.ready;
      expect(await second.git!.sync()).toMatchObject({
        changes: [],
        errors: [],
      });
      expect(second.store.get(key, 'default', 'kept')).toBeDefined();

      // Declared by the new repository, it is the new one's: removed from it, it is deleted.
      const tree = await GitWorkTree.clone(
        withCredentials(
          second.git!.url,
          second.git!.username,
          second.git!.token,
        ),
      );
      cleanup.push(() => tree.remove());
      tree.write(
        'kratix-requests/kept.yaml',
        redisYaml('kept', { size: 'large' }),
      );
      await tree.commitAll('Take kept over');
      await tree.ok('push', '--quiet', 'origin', 'HEAD:main');
      expect((await second.git!.sync()).changes).toEqual([
        expect.objectContaining({ name: 'kept', action: 'updated' }),
      ]);
      await tree.ok('rm', '--quiet', 'kratix-requests/kept.yaml');
      await tree.commitAll('Remove kept');
      await tree.ok('push', '--quiet', 'origin', 'HEAD:main');
      expect((await second.git!.sync()).changes).toEqual([
        expect.objectContaining({ name: 'kept', action: 'deleted' }),
      ]);
    });
  },
);
