/*
 * kratix:resource:wait against the sandbox's seeded Resources over HTTPS.
 */
import {
  startSandboxCluster,
  type SandboxCluster,
} from '../__testUtils__/sandboxCluster';
import {
  permissionsThat,
  runAction,
  waitsWith,
} from '../__testUtils__/actionHarness';
import { createKratixWaitAction } from './waitResourceAction';

jest.setTimeout(60_000);

describe('kratix:resource:wait', () => {
  let cluster: SandboxCluster;
  const actionWith = (permissions = permissionsThat('allow')) =>
    createKratixWaitAction({
      clusters: cluster.clusters,
      permissions,
      waits: waitsWith(cluster.clusters),
      appBaseUrl: 'http://portal.example.com',
    });

  beforeAll(async () => {
    cluster = await startSandboxCluster();
  });
  afterAll(() => cluster?.close());

  it("returns a completed Resource's status and the entity's Kratix tab", async () => {
    const run = await runAction(actionWith(), {
      promise: 'elastic-cloud',
      name: 'example',
    });
    expect(run.output).toMatchObject({
      resourceRef: 'sandbox:elastic-cloud/default/example',
      message: 'Instance example provisioned with preconfigured system metrics',
      status: { initialLoginDetails: { username: 'elastic' } },
      entityUrl:
        'http://portal.example.com/catalog/default/component/search-service/kratix?resource=sandbox%2Fdefault%2Felastic-cloud%2Fexample',
    });
  });

  it('fails with the condition of a failed workflow', async () => {
    await expect(
      runAction(actionWith(), { promise: 'jenkins', name: 'broken' }),
    ).rejects.toThrow(
      /^The workflow of jenkins default\/broken on cluster sandbox failed: ConfigureWorkflowCompleted=False \(ConfigureWorkflowFailed\)/,
    );
  });

  it('waits for a named condition and times out with its last state', async () => {
    await expect(
      runAction(actionWith(), {
        promise: 'redis',
        name: 'paused-cache',
        waitFor: 'Reconciled',
        timeoutSeconds: 0.5,
      }),
    ).rejects.toThrow(
      /^Timed out after 0\.5s waiting for Reconciled=True on redis default\/paused-cache/,
    );
  });

  it('refuses a caller who may not read the Resource, whether or not it exists', async () => {
    const action = actionWith(permissionsThat('deny'));
    for (const name of ['example', 'no-such-cache']) {
      await expect(
        runAction(action, { promise: 'redis', name }),
      ).rejects.toThrow(
        `You may not read the Kratix Resource sandbox:redis/default/${name}`,
      );
    }
  });

  it('says which Resource is missing', async () => {
    await expect(
      runAction(actionWith(), { promise: 'redis', name: 'no-such-cache' }),
    ).rejects.toThrow('No redis "default/no-such-cache" on cluster sandbox');
  });
});
