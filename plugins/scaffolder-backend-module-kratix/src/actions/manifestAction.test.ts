/*
 * kratix:resource:manifest against the sandbox over HTTPS: the real create flow's prepare (the
 * Promise's schema, the bounds, the permission on the entity) and the real cluster service, a real
 * workspace folder. What it writes is read back from disk; nothing may reach the cluster, and a
 * refused request leaves the workspace empty.
 */
import { createMockDirectory } from '@backstage/backend-test-utils';
import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import {
  startSandboxCluster,
  type SandboxCluster,
} from '../__testUtils__/sandboxCluster';
import {
  creationWith,
  permissionsThat,
  runAction,
} from '../__testUtils__/actionHarness';
import { createKratixManifestAction } from './manifestAction';

jest.setTimeout(60_000);

const APP = 'http://portal.example.com';
const REDIS = { group: 'marketplace.kratix.io', plural: 'redis' };
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** Every file under `dir`, relative to it. */
const filesIn = (dir: string): string[] =>
  fs.existsSync(dir)
    ? (fs.readdirSync(dir, { recursive: true }) as string[]).filter(f =>
        fs.statSync(path.join(dir, f)).isFile(),
      )
    : [];

describe('kratix:resource:manifest', () => {
  const workspaces = createMockDirectory();
  let cluster: SandboxCluster;
  let workspace: string;
  const actionWith = (permissions = permissionsThat('allow')) => {
    const { creation, audits } = creationWith(cluster.clusters, permissions);
    return {
      action: createKratixManifestAction({
        creation,
        clusters: cluster.clusters,
        appBaseUrl: APP,
      }),
      audits,
    };
  };
  const stored = (name: string) =>
    cluster.sandbox.store.get(REDIS, 'default', name);

  beforeAll(async () => {
    cluster = await startSandboxCluster({
      allowedNamespaces: ['default'],
      allowedClusters: ['sandbox'],
    });
  });
  afterAll(() => cluster?.close());
  beforeEach(() => {
    workspaces.clear();
    workspace = workspaces.resolve('workspace');
    fs.mkdirSync(workspace);
  });

  it('writes the validated manifest at the documented path, and sends nothing to the cluster', async () => {
    const { action, audits } = actionWith();
    const run = await runAction(
      action,
      {
        promise: 'redis',
        name: 'orders-cache',
        entityRef: 'component:default/checkout-service',
        spec: { size: 'large' },
      },
      { workspacePath: workspace },
    );
    const file = 'kratix-requests/sandbox/default/redis/orders-cache.yaml';
    expect(filesIn(workspace)).toEqual([file]);
    const written = parse(fs.readFileSync(path.join(workspace, file), 'utf8'));
    expect(written).toEqual({
      apiVersion: 'marketplace.kratix.io/v1alpha1',
      kind: 'redis',
      metadata: {
        name: 'orders-cache',
        namespace: 'default',
        annotations: expect.objectContaining({
          'kratix.backstage.io/requested-by': 'user:default/guest',
          'kratix.backstage.io/entity-ref':
            'component:default/checkout-service',
          'kratix.backstage.io/request-id': run.output.requestId,
        }),
      },
      spec: { size: 'large' },
    });
    expect(run.output).toEqual({
      path: file,
      requestId: expect.stringMatching(UUID),
      manifest: written,
      resourceRef: 'sandbox:redis/default/orders-cache',
      entityUrl: `${APP}/catalog/default/component/checkout-service/kratix?resource=sandbox%2Fdefault%2Fredis%2Forders-cache`,
    });
    expect(run.logs).toEqual([
      `Wrote the manifest of redis redis default/orders-cache on cluster sandbox for component:default/checkout-service to ${file} (request ${run.output.requestId}); nothing was sent to the cluster`,
    ]);
    expect(stored('orders-cache')).toBeUndefined();
    expect(audits).toEqual([{ status: 'succeeded' }]);
  });

  it('writes to targetPath, creating its folders, on a dry run too, with a new request id each run', async () => {
    const { action } = actionWith();
    const input = {
      promise: 'Redis',
      name: 'proposed-cache',
      entityRef: 'component:default/checkout-service',
      spec: { size: 'small' },
      targetPath: 'requests/caches/proposed-cache.yaml',
    };
    const first = await runAction(action, input, { workspacePath: workspace });
    const dry = await runAction(action, input, {
      workspacePath: workspace,
      isDryRun: true,
    });
    expect(filesIn(workspace)).toEqual([input.targetPath]);
    expect(dry.output.path).toBe(input.targetPath);
    expect(dry.output.requestId).not.toBe(first.output.requestId);
    expect(
      parse(fs.readFileSync(path.join(workspace, input.targetPath), 'utf8'))
        .metadata.annotations['kratix.backstage.io/request-id'],
    ).toBe(dry.output.requestId);
  });

  it('takes the path from the cluster’s Git delivery', async () => {
    const git = await startSandboxCluster(
      { allowedNamespaces: ['default'] },
      {
        delivery: {
          mode: 'pull-request',
          repository: 'https://git.example.com/platform/requests.git',
          path: 'clusters/requests',
          promises: {},
        },
      },
    );
    try {
      const { creation } = creationWith(git.clusters);
      const run = await runAction(
        createKratixManifestAction({
          creation,
          clusters: git.clusters,
          appBaseUrl: APP,
        }),
        {
          promise: 'redis',
          name: 'routed-cache',
          entityRef: 'component:default/checkout-service',
          spec: { size: 'small' },
        },
        { workspacePath: workspace },
      );
      expect(run.output.path).toBe(
        'clusters/requests/sandbox/default/redis/routed-cache.yaml',
      );
      expect(filesIn(workspace)).toEqual([run.output.path]);
    } finally {
      await git.close();
    }
  });

  it.each([
    [
      'a spec that breaks the schema',
      { spec: { size: 'huge' } },
      { name: 'InputError', message: expect.stringMatching(/^spec\.size: /) },
    ],
    [
      'a namespace outside the bounds',
      { namespace: 'kube-system' },
      { message: expect.stringMatching(/^namespace: /) },
    ],
    [
      'a name already taken on the cluster',
      { name: 'example' },
      {
        name: 'ConflictError',
        message:
          'name: redis "default/example" already exists on cluster sandbox; choose another name',
      },
    ],
    [
      'a targetPath outside the workspace',
      { targetPath: '../outside.yaml' },
      {
        name: 'InputError',
        message:
          'targetPath: "../outside.yaml" is not a file inside the task\'s workspace',
      },
    ],
    [
      'an absolute targetPath',
      { targetPath: '/tmp/outside.yaml' },
      { name: 'InputError' },
    ],
  ])('refuses %s, and writes nothing', async (_, bad, error) => {
    const { action } = actionWith();
    await expect(
      runAction(
        action,
        {
          promise: 'redis',
          name: 'bad-manifest',
          entityRef: 'component:default/checkout-service',
          spec: { size: 'small' },
          ...bad,
        },
        { workspacePath: workspace },
      ),
    ).rejects.toMatchObject(error);
    expect(filesIn(workspace)).toEqual([]);
    expect(fs.existsSync(workspaces.resolve('outside.yaml'))).toBe(false);
  });

  it('refuses a user who may not request for the entity, and writes nothing', async () => {
    const { action, audits } = actionWith(permissionsThat('deny'));
    await expect(
      runAction(
        action,
        {
          promise: 'redis',
          name: 'not-yours',
          entityRef: 'component:default/checkout-service',
          spec: { size: 'small' },
        },
        { workspacePath: workspace },
      ),
    ).rejects.toMatchObject({
      name: 'NotAllowedError',
      message:
        'You may not create Kratix Resources for component:default/checkout-service',
    });
    expect(filesIn(workspace)).toEqual([]);
    expect(audits).toEqual([{ status: 'failed', error: 'NotAllowedError' }]);
  });
});
