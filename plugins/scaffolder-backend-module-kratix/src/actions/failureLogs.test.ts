/*
 * A failed workflow's step log ends with why it failed (the failing container, its exit code and
 * last lines) when the initiator may read the Resource's logs, and with one sentence when they may
 * not — never a line of the log. Against the sandbox's seeded jenkins/broken, whose pipeline exits 1.
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
import { LOGS_NOT_SHOWN } from './failureLogs';
import { createKratixWaitAction } from './waitResourceAction';

jest.setTimeout(60_000);

const FAILURE_LINE =
  'jenkins: could not render the Jenkins instance (simulated failure)';

describe('the log of a failed workflow in the step log', () => {
  let cluster: SandboxCluster;
  const actionWith = (permissions: ReturnType<typeof permissionsThat>) =>
    createKratixWaitAction({
      clusters: cluster.clusters,
      permissions,
      waits: waitsWith(cluster.clusters),
      appBaseUrl: 'http://portal.example.com',
    });
  /** Runs the wait on jenkins/broken, which fails; its log lines. */
  const failedRun = async (permissions: ReturnType<typeof permissionsThat>) => {
    const logs: string[] = [];
    await expect(
      runAction(
        actionWith(permissions),
        { promise: 'jenkins', name: 'broken' },
        { logs },
      ),
    ).rejects.toThrow(/failed: ConfigureWorkflowCompleted=False/);
    return logs;
  };

  beforeAll(async () => {
    cluster = await startSandboxCluster();
  });
  afterAll(() => cluster?.close());

  it('ends with the failing container, its exit code and its last lines for a reader of logs', async () => {
    const logs = await failedRun(permissionsThat('allow'));
    const header = logs.findIndex(line =>
      line.includes('failed in container jenkins-configure-pipeline'),
    );
    expect(header).toBeGreaterThanOrEqual(0);
    expect(logs[header]).toMatch(
      /^Pipeline \S+ \(run \S+\) failed in container jenkins-configure-pipeline with exit code 1\. Its last 1 lines:$/,
    );
    // The log's lines are the last of the step's log.
    expect(logs.slice(header + 1)).toEqual([`  ${FAILURE_LINE}`]);
  });

  it('says the log is not shown to one who may read the Resource but not its logs', async () => {
    const logs = await failedRun(
      permissionsThat({
        'kratix.resource.logs.read': 'deny',
        otherwise: 'allow',
      }),
    );
    expect(logs[logs.length - 1]).toBe(LOGS_NOT_SHOWN);
    expect(logs.join('\n')).not.toContain(FAILURE_LINE);
  });
});
