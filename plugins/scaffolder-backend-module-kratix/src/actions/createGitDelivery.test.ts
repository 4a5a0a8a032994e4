/*
 * kratix:resource:create on a cluster whose requests go through Git (`gitops`), against the
 * sandbox: the real create flow hands the manifest to a delivery that commits it with the real
 * GitRequestWriter to the sandbox's Git server (__testUtils__/gitDelivery.ts), and the sandbox's
 * Git sync, run when the step says it is waiting for it, applies it as Flux would. Nothing is
 * written to the cluster by the step itself.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { parse } from 'yaml';
import {
  creationWith,
  permissionsThat,
  runAction,
  startStep,
  waitsWith,
} from '../__testUtils__/actionHarness';
import { sandboxGitDelivery } from '../__testUtils__/gitDelivery';
import {
  startSandboxCluster,
  type SandboxCluster,
} from '../__testUtils__/sandboxCluster';
import { createKratixResourceAction } from './createResourceAction';
import { createKratixWaitAction } from './waitResourceAction';

jest.setTimeout(90_000);

const APP = 'http://portal.example.com';
const REDIS = { group: 'marketplace.kratix.io', plural: 'redis' };
const CHECKOUT = 'component:default/checkout-service';
const WAITING = /^Waiting for the platform to apply request /;
const run = promisify(execFile);

describe('kratix:resource:create through Git', () => {
  let cluster: SandboxCluster;
  let gitDelivery: ReturnType<typeof sandboxGitDelivery>;
  const actionWith = (permissions = permissionsThat('allow')) => {
    const { creation } = creationWith(cluster.clusters, permissions, {
      delivery: gitDelivery.delivery,
    });
    return createKratixResourceAction({
      creation,
      clusters: cluster.clusters,
      permissions,
      waits: waitsWith(cluster.clusters),
      appBaseUrl: APP,
    });
  };
  /** Runs git on the bare repository the sandbox's Git server serves. */
  const git = async (...args: string[]) =>
    (
      await run(
        'git',
        ['--git-dir', cluster.sandbox.git!.repositoryDir, ...args],
        {
          env: {
            ...process.env,
            GIT_CONFIG_NOSYSTEM: '1',
            HOME: '/nonexistent',
          },
        },
      )
    ).stdout;
  const head = async () => (await git('rev-parse', 'main')).trim();
  const stored = (name: string) =>
    cluster.sandbox.store.get(REDIS, 'default', name);

  beforeAll(async () => {
    cluster = await startSandboxCluster(
      { allowedNamespaces: ['default'], allowedClusters: ['sandbox'] },
      { gitops: true },
    );
    gitDelivery = sandboxGitDelivery(cluster.sandbox);
  });
  afterAll(() => cluster?.close());

  it('commits the request and, without waitFor, outputs it pending at once; kratix:resource:wait then waits for it', async () => {
    const repository = cluster.sandbox.git!.url;
    // No waitFor: through Git the step does not wait (a review may take days).
    const result = await runAction(actionWith(), {
      promise: 'redis',
      name: 'git-orders',
      entityRef: CHECKOUT,
      spec: { size: 'small' },
    });
    const sha = await head();
    const path = 'kratix-requests/sandbox/default/redis/git-orders.yaml';
    const commitUrl = `${repository.replace(/\.git$/, '')}.git/commit/${sha}`;
    const message = `Committed ${sha.slice(
      0,
      7,
    )} to main, waiting for the platform to sync`;
    expect(result.output).toEqual({
      resourceRef: 'sandbox:redis/default/git-orders',
      message,
      status: {},
      conditions: [],
      entityUrl: `${APP}/catalog/default/component/checkout-service/kratix?resource=sandbox%2Fdefault%2Fredis%2Fgit-orders`,
      requestId: gitDelivery.delivered.at(-1)!.requestId,
      requestState: 'pending',
      commitSha: sha,
      commitUrl,
      repository,
      branch: 'main',
      path,
      requestUrl: commitUrl,
      adopted: false,
      dryRun: false,
    });
    expect(result.logs).toEqual([
      `Requested redis redis default/git-orders on cluster sandbox for ${CHECKOUT} through Git: ${message}`,
      `Commit ${sha} on main of ${repository}: ${commitUrl}`,
    ]);
    const committed = parse(await git('show', `main:${path}`));
    expect(committed.metadata.annotations).toMatchObject({
      'kratix.backstage.io/request-id': result.output.requestId,
      'kratix.backstage.io/entity-ref': CHECKOUT,
    });
    expect(stored('git-orders')).toBeUndefined();

    await cluster.sandbox.git!.sync();
    const waited = await runAction(
      createKratixWaitAction({
        clusters: cluster.clusters,
        permissions: permissionsThat('allow'),
        waits: waitsWith(cluster.clusters),
        appBaseUrl: APP,
      }),
      {
        promise: 'redis',
        name: 'git-orders',
        requestId: result.output.requestId,
      },
    );
    expect(waited.output.conditions).toContainEqual(
      expect.objectContaining({
        type: 'ConfigureWorkflowCompleted',
        status: 'True',
      }),
    );
  });

  it('waits for the platform to apply the request, then for its workflow', async () => {
    const step = startStep(
      ({ onLog, signal }) =>
        runAction(
          actionWith(),
          {
            promise: 'redis',
            name: 'git-synced',
            entityRef: CHECKOUT,
            spec: { size: 'small' },
            // Through Git a step waits only when asked to.
            waitFor: 'workflow',
          },
          { onLog, signal },
        ),
      WAITING,
    );
    await step.started;
    await cluster.sandbox.git!.sync();
    const { error, run: result } = await step.outcome;
    expect(error).toBeUndefined();
    const requestId = gitDelivery.delivered.at(-1)!.requestId;
    expect(result!.output).toMatchObject({
      resourceRef: 'sandbox:redis/default/git-synced',
      requestId,
      requestState: 'applied',
      commitSha: await head(),
      branch: 'main',
      path: 'kratix-requests/sandbox/default/redis/git-synced.yaml',
      adopted: false,
    });
    expect(result!.output.conditions).toContainEqual(
      expect.objectContaining({
        type: 'ConfigureWorkflowCompleted',
        status: 'True',
      }),
    );
    const logs = result!.logs;
    const at = (pattern: RegExp) => logs.findIndex(l => pattern.test(l));
    expect(at(/^Requested redis .* through Git: Committed /)).toBe(0);
    expect(at(WAITING)).toBeGreaterThan(0);
    expect(at(/^Applied by the platform: .* carries request /)).toBeGreaterThan(
      at(WAITING),
    );
    expect(at(/^Done: ConfigureWorkflowCompleted=True/)).toBeGreaterThan(
      at(/^Applied by the platform/),
    );
    expect(
      stored('git-synced')?.metadata.annotations?.[
        'kratix.backstage.io/request-id'
      ],
    ).toBe(requestId);
  });

  it('keeps the applied Resource’s status from a user who may not read it, not their request', async () => {
    const step = startStep(
      ({ onLog, signal }) =>
        runAction(
          actionWith(
            permissionsThat({
              'kratix.resource.read': 'deny',
              otherwise: 'allow',
            }),
          ),
          {
            promise: 'redis',
            name: 'git-hidden',
            entityRef: CHECKOUT,
            spec: { size: 'small' },
            // Through Git a step waits only when asked to.
            waitFor: 'workflow',
          },
          { onLog, signal },
        ),
      WAITING,
    );
    await step.started;
    await cluster.sandbox.git!.sync();
    const { error, run: result } = await step.outcome;
    expect(error).toBeUndefined();
    expect(result!.output).toMatchObject({
      resourceRef: 'sandbox:redis/default/git-hidden',
      message: '',
      status: {},
      conditions: [],
      requestState: 'applied',
      requestId: gitDelivery.delivered.at(-1)!.requestId,
    });
    expect(result!.logs).toContain(
      "You may not read sandbox:redis/default/git-hidden (kratix.resource.read): its status stays out of this task's log and output",
    );
    expect(result!.logs.at(-1)).toBe(
      'Done: the wait for redis default/git-hidden on cluster sandbox ended successfully',
    );
  });

  it('commits nothing for an invalid spec or an entity the user may not request for', async () => {
    const before = await head();
    const count = gitDelivery.delivered.length;
    const input = {
      promise: 'redis',
      name: 'git-refused',
      entityRef: CHECKOUT,
      waitFor: 'none',
    };
    await expect(
      runAction(actionWith(), { ...input, spec: { size: 'huge' } }),
    ).rejects.toThrow(/^spec\.size: /);
    await expect(
      runAction(actionWith(permissionsThat('deny')), {
        ...input,
        spec: { size: 'small' },
      }),
    ).rejects.toThrow(`You may not create Kratix Resources for ${CHECKOUT}`);
    expect(await head()).toBe(before);
    expect(gitDelivery.delivered).toHaveLength(count);
  });
});
