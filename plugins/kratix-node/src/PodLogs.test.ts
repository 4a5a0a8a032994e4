/*
 * PodLogs against a small HTTP server that answers as an API server whose RBAC does not allow the
 * calls (403), whose Pod is gone (404) or whose container has not started (400): each becomes a
 * KratixPodLogError that names the missing access (or carries Kubernetes' message), never a URL.
 * And the shape of a Resource's runs from its Jobs and Pods (workflowRuns.ts).
 */
import { CoreV1Api, type V1Job, type V1Pod } from '@kubernetes/client-node';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { PassThrough } from 'node:stream';
import { urlKubeConfig } from './authStrategies';
import { KratixPodLogError, PodLogs } from './PodLogs';
import { defaultLogContainer } from '@kratix-backstage/plugin-kratix-common';
import { workflowRunsOf } from './workflowRuns';

const status = (code: number, message: string) =>
  JSON.stringify({
    kind: 'Status',
    apiVersion: 'v1',
    status: 'Failure',
    message,
    code,
  });

describe('PodLogs errors', () => {
  let server: http.Server;
  let logs: PodLogs;
  /** The status each path answers with. */
  const answers = new Map<string, [number, string]>();

  beforeAll(async () => {
    server = http.createServer((req, res) => {
      const path = new URL(req.url!, 'http://x').pathname;
      const [code, body] = answers.get(path) ?? [404, status(404, 'nothing')];
      res.writeHead(code, { 'Content-Type': 'application/json' });
      res.end(body);
    });
    await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    const kubeConfig = urlKubeConfig(
      { name: 'c1', url: `http://127.0.0.1:${port}`, skipTLSVerify: true },
      'token',
    );
    logs = new PodLogs({
      cluster: 'c1',
      kubeConfig,
      core: kubeConfig.makeApiClient(CoreV1Api),
      requestTimeoutMs: 5000,
    });
  });
  afterAll(() => new Promise(resolve => server.close(resolve)));

  const reason = (error: unknown) => ({
    name: (error as Error).name,
    reason: (error as KratixPodLogError).reason,
    message: (error as Error).message,
  });

  it('names the missing access on pods and pods/log (403)', async () => {
    answers.set('/api/v1/namespaces/ns1/pods', [403, status(403, 'forbidden')]);
    answers.set('/api/v1/namespaces/ns1/pods/p1/log', [
      403,
      status(403, 'forbidden'),
    ]);
    expect(
      reason(await logs.podsOf('ns1', 'redis', 'r').catch(e => e)),
    ).toEqual({
      name: 'KratixPodLogError',
      reason: 'forbidden',
      message:
        "Backstage's service account may not list pods in namespace ns1 on cluster c1: grant it get and list on pods",
    });
    const request = { namespace: 'ns1', pod: 'p1', container: 'c' };
    for (const attempt of [
      () => logs.read(request),
      () => logs.follow(request, new PassThrough()),
    ]) {
      expect(reason(await attempt().catch(e => e))).toEqual({
        name: 'KratixPodLogError',
        reason: 'forbidden',
        message:
          "Backstage's service account may not get pods/log in namespace ns1 on cluster c1: grant it get on pods/log",
      });
    }
  });

  it('says a Pod is gone (404) and passes on why a container has no log (400)', async () => {
    answers.set('/api/v1/namespaces/ns1/pods/gone/log', [
      404,
      status(404, 'pods "gone" not found'),
    ]);
    answers.set('/api/v1/namespaces/ns1/pods/waiting/log', [
      400,
      status(
        400,
        'container "status-writer" in pod "waiting" is waiting to start: PodInitializing',
      ),
    ]);
    const gone = await logs
      .read({ namespace: 'ns1', pod: 'gone', container: 'c' })
      .catch(e => e);
    expect(reason(gone)).toMatchObject({
      reason: 'gone',
      message: 'Pod gone no longer exists on cluster c1',
    });
    const waiting = await logs
      .follow(
        { namespace: 'ns1', pod: 'waiting', container: 'status-writer' },
        new PassThrough(),
      )
      .catch(e => e);
    expect(reason(waiting)).toMatchObject({
      reason: 'invalid',
      message:
        'container "status-writer" in pod "waiting" is waiting to start: PodInitializing',
    });
  });
});

describe('workflowRunsOf', () => {
  const job = (name: string, startTime: string, failed?: boolean): V1Job => ({
    metadata: {
      name,
      namespace: 'default',
      labels: {
        'kratix.io/pipeline-name': 'instance-configure',
        'kratix.io/workflow-action': 'configure',
      },
    },
    status: {
      startTime: new Date(startTime),
      conditions: failed
        ? [
            {
              type: 'Failed',
              status: 'True',
              lastTransitionTime: new Date(startTime),
            },
          ]
        : [],
      active: failed ? 0 : 1,
    },
  });
  const pod = (jobName: string, statuses: Record<string, any>): V1Pod => ({
    metadata: {
      name: `${jobName}-abcde`,
      namespace: 'default',
      labels: { 'batch.kubernetes.io/job-name': jobName },
    },
    spec: {
      initContainers: [{ name: 'reader' }, { name: 'pipeline' }],
      containers: [{ name: 'status-writer' }],
    },
    status: {
      initContainerStatuses: ['reader', 'pipeline'].map(name => ({
        name,
        state: statuses[name],
      })) as any,
      containerStatuses: [
        { name: 'status-writer', state: statuses['status-writer'] },
      ] as any,
    },
  });

  it('shapes runs newest first, with the failed container and what ran', () => {
    const runs = workflowRunsOf(
      [
        job('old', '2026-12-01T00:00:00Z', true),
        job('new', '2026-12-02T00:00:00Z'),
      ],
      [
        pod('old', {
          reader: { terminated: { exitCode: 0, reason: 'Completed' } },
          pipeline: { terminated: { exitCode: 2, reason: 'Error' } },
          'status-writer': { waiting: { reason: 'PodInitializing' } },
        }),
        pod('new', {
          reader: { terminated: { exitCode: 0, reason: 'Completed' } },
          pipeline: {
            running: { startedAt: new Date('2026-12-02T00:00:01Z') },
          },
        }),
      ],
    );
    expect(runs.map(r => [r.job, r.phase, r.failedContainer])).toEqual([
      ['new', 'Running', undefined],
      ['old', 'Failed', 'pipeline'],
    ]);
    expect(runs[1].containers).toEqual([
      {
        name: 'reader',
        init: true,
        state: 'terminated',
        exitCode: 0,
        reason: 'Completed',
      },
      {
        name: 'pipeline',
        init: true,
        state: 'terminated',
        exitCode: 2,
        reason: 'Error',
      },
      {
        name: 'status-writer',
        init: false,
        state: 'waiting',
        reason: 'PodInitializing',
      },
    ]);
    expect(defaultLogContainer(runs[1])).toBe('pipeline');
    // No failure: the last that ran (here: still runs).
    expect(defaultLogContainer(runs[0])).toBe('pipeline');
  });

  it('keeps a run whose Pod is gone, without containers', () => {
    const [run] = workflowRunsOf(
      [job('collected', '2026-12-01T00:00:00Z', true)],
      [],
    );
    expect(run).toMatchObject({
      job: 'collected',
      phase: 'Failed',
      containers: [],
    });
    expect(run.pod).toBeUndefined();
  });
});
