/*
 * The MCP actions the plugin registers (actions/registerKratixActions.ts), invoked through
 * Backstage's mock actions registry as each user, with the plugin as Backstage starts it: reads
 * work for the reader and are refused to the others; the create is refused to the reader, whom the
 * policy allows no writes, and nothing reaches the cluster.
 */
import { mockCredentials } from '@backstage/backend-test-utils';
import { readObject, redisPath } from './__testUtils__/clusterApi';
import {
  eventually,
  startPluginBackend,
  type MockActionsRegistry,
  type PluginBackend,
} from './__testUtils__/pluginBackend';
import {
  DENIED,
  OUTSIDER,
  PLATFORM_MEMBER,
  READER,
} from './__testUtils__/seedCatalog';

jest.setTimeout(60_000);

const EXAMPLE = {
  entityRef: 'component:default/checkout-service',
  promise: 'redis',
  namespace: 'default',
  name: 'example',
};
/** What a Resource the caller may not read answers (the same as a missing or unlinked one). */
const NOT_READABLE =
  /^component:default\/checkout-service links no Resource sandbox:redis\/default\/example that the platform confirms and you may read$/;

describe('the Kratix MCP actions', () => {
  let plugin: PluginBackend;
  const invoke = (
    name: string,
    input: Parameters<MockActionsRegistry['invoke']>[0]['input'],
    user: string,
  ) =>
    plugin.actions.invoke({
      id: `test:${name}`,
      input,
      credentials: mockCredentials.user(user),
    });

  beforeAll(async () => {
    plugin = await startPluginBackend();
  });

  afterAll(async () => {
    await plugin?.close();
  });

  it('registers the five Kratix actions', async () => {
    const { actions } = await plugin.actions.list();
    expect(actions.map(a => a.name).sort()).toEqual([
      'create-resource',
      'get-resource-logs',
      'get-resource-status',
      'list-promises',
      'wait-for-resource',
    ]);
  });

  it('lists the Promises for the reader, and refuses the denied user', async () => {
    const { output } = (await invoke('list-promises', {}, READER)) as {
      output: { promises: Array<{ name: string; cluster: string }> };
    };
    expect(output.promises.map(p => p.name)).toEqual(
      expect.arrayContaining(['redis', 'jenkins', 'elastic-cloud']),
    );
    await expect(invoke('list-promises', {}, DENIED)).rejects.toMatchObject({
      name: 'NotAllowedError',
      message: 'You may not list Kratix Promises',
    });
  });

  it("reads a Resource's status for the reader, and refuses the outsider and the denied user", async () => {
    const { output } = (await invoke(
      'get-resource-status',
      EXAMPLE,
      READER,
    )) as {
      output: { resource: Record<string, any> };
    };
    expect(output.resource).toMatchObject({
      resourceRef: 'sandbox:redis/default/example',
      entityRef: 'component:default/checkout-service',
      state: 'ready',
      status: { connectionDetails: expect.any(Object) },
    });
    await expect(
      invoke('get-resource-status', EXAMPLE, OUTSIDER),
    ).rejects.toMatchObject({
      name: 'NotFoundError',
      message: expect.stringMatching(NOT_READABLE),
    });
    await expect(
      invoke('get-resource-status', EXAMPLE, DENIED),
    ).rejects.toMatchObject({
      name: 'NotFoundError',
      message: 'No entity component:default/checkout-service',
    });
  });

  it('waits on a Resource the reader may read, and refuses the others before waiting', async () => {
    const { output } = (await invoke(
      'wait-for-resource',
      { ...EXAMPLE, timeoutSeconds: 30 },
      READER,
    )) as { output: { condition: { type: string; status: string } } };
    expect(output.condition).toMatchObject({
      type: 'ConfigureWorkflowCompleted',
      status: 'True',
    });
    await expect(
      invoke('wait-for-resource', { ...EXAMPLE, timeoutSeconds: 30 }, OUTSIDER),
    ).rejects.toMatchObject({ name: 'NotFoundError' });
  });

  it('refuses a requestId that is not a request id, naming the field, before anything is read', async () => {
    for (const requestId of ['', 'not-a-request', ' ']) {
      await expect(
        invoke(
          'wait-for-resource',
          { ...EXAMPLE, requestId, timeoutSeconds: 30 },
          READER,
        ),
      ).rejects.toMatchObject({
        name: 'InputError',
        message: `requestId: ${JSON.stringify(
          requestId,
        )} is not a request id (the \`request.id\` create-resource answers, a UUID)`,
      });
    }
  });

  it('answers an unknown requestId as a Resource the caller may not read, though the reader may read this one', async () => {
    await expect(
      invoke(
        'wait-for-resource',
        {
          ...EXAMPLE,
          requestId: '00000000-0000-4000-8000-000000000000',
          timeoutSeconds: 30,
        },
        READER,
      ),
    ).rejects.toMatchObject({
      name: 'NotFoundError',
      message: expect.stringMatching(NOT_READABLE),
    });
  });

  it('refuses the create to the reader, and nothing is created', async () => {
    await expect(
      invoke(
        'create-resource',
        {
          promise: 'redis',
          namespace: 'default',
          name: 'assistant-cache',
          entityRef: 'component:default/checkout-service',
          spec: { size: 'small' },
        },
        READER,
      ),
    ).rejects.toMatchObject({
      name: 'NotAllowedError',
      message:
        'You may not create Kratix Resources for component:default/checkout-service',
    });
    expect(
      await readObject(plugin.sandbox, redisPath('assistant-cache')),
    ).toBeUndefined();
  });

  it("reads why a workflow failed for a reader of logs, and refuses the Resource's readers without kratix.resource.logs.read", async () => {
    const broken = {
      entityRef: 'component:default/ci-platform',
      promise: 'jenkins',
      namespace: 'default',
      name: 'broken',
    };
    // The seeded jenkins/broken fails its configure pipeline (sandbox.kratix.io/simulate: fail).
    const output = await eventually(async () => {
      const answer = (await invoke(
        'get-resource-logs',
        broken,
        PLATFORM_MEMBER,
      )) as { output: Record<string, any> };
      return answer.output.failed ? answer.output : undefined;
    }, 'the failed run of jenkins/broken');
    expect(output).toMatchObject({
      run: expect.any(String),
      container: 'jenkins-configure-pipeline',
      exitCode: 1,
      failed: true,
      truncated: false,
      source: 'pod',
      lines: [
        'jenkins: could not render the Jenkins instance (simulated failure)',
      ],
    });
    // The reader reads checkout-service's Resources (get-resource-status), not their logs.
    await expect(
      invoke('get-resource-logs', EXAMPLE, READER),
    ).rejects.toMatchObject({
      name: 'NotAllowedError',
      message: expect.stringContaining('kratix.resource.logs.read'),
    });
    await expect(
      invoke('get-resource-logs', EXAMPLE, OUTSIDER),
    ).rejects.toMatchObject({
      name: 'NotFoundError',
      message: expect.stringMatching(NOT_READABLE),
    });
    await expect(
      invoke(
        'get-resource-logs',
        { ...broken, run: 'no-such-run' },
        PLATFORM_MEMBER,
      ),
    ).rejects.toMatchObject({
      name: 'NotFoundError',
      message: expect.stringContaining('"no-such-run"'),
    });
  });
});
