/*
 * wait-for-resource's request following (requestWait.ts) against the sandbox platform through the
 * real cluster service and a real ledger (SQLite): who may follow a request, and each way the wait
 * ends: applied (the Resource carrying the id appears), superseded (the real tracker applies a
 * later request), closed, closed by another replica's ledger (seen by the poll), and still pending
 * when the time runs out.
 */
import { mockCredentials, mockServices } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import type { Entity } from '@backstage/catalog-model';
import { KRATIX_REQUEST_ID_ANNOTATION } from '@kratix-backstage/plugin-kratix-common';
import { DefaultKratixClusterService } from '@kratix-backstage/plugin-kratix-node';
import { engines } from '../__testUtils__/databases';
import { newRequest } from '../__testUtils__/requests';
import {
  startSandboxClusters,
  type SandboxClusters,
} from '../__testUtils__/sandboxClusters';
import { RequestLedger, RequestTracker, type NewRequest } from '../requests';
import {
  checkRequestId,
  followableRequest,
  untilRequestSettled,
} from './requestWait';

const sqlite = engines[0];
const CHECKOUT = 'component:default/checkout-service';
const id = (n: number) =>
  `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;

const request = (
  requestId: string,
  name: string,
  over: Partial<NewRequest> = {},
): NewRequest =>
  newRequest(requestId, name, {
    entityRef: CHECKOUT,
    entityUid: 'uid-1',
    commitUrl: 'http://127.0.0.1:1/kratix-requests/commit/abc1234',
    ...over,
  });

const checkout = (uid = 'uid-1'): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name: 'checkout-service', namespace: 'default', uid },
  spec: {},
  relations: [{ type: 'ownedBy', targetRef: 'group:default/team-checkout' }],
});

describe('following a request for wait-for-resource', () => {
  let platform: SandboxClusters;
  let clusters: DefaultKratixClusterService;
  let ledger: RequestLedger;
  let drop: () => Promise<void>;
  let database: ReturnType<typeof mockServices.database>;
  const following = () => ({
    ledger,
    userInfo: mockServices.userInfo(),
    pollMs: 60_000,
  });

  beforeAll(async () => {
    platform = await startSandboxClusters();
    ({ clusters } = platform);
  });
  afterAll(async () => {
    await platform?.close();
  });

  beforeEach(async () => {
    const connected = await sqlite.connect();
    drop = connected.drop;
    database = mockServices.database({ knex: connected.knex });
    ledger = await RequestLedger.create({ database });
  });
  afterEach(async () => {
    await drop();
  });

  /** Creates a redis Resource carrying a request id on the platform. */
  const createCarrying = (name: string, requestId: string) =>
    clusters.createResource({
      cluster: 'sandbox',
      promise: 'redis',
      namespace: 'default',
      name,
      spec: { size: 'small' },
      annotations: { [KRATIX_REQUEST_ID_ANNOTATION]: requestId },
    });

  it('checks the id before anything is read, naming the field', () => {
    expect(checkRequestId(` ${id(1).toUpperCase()} `)).toBe(id(1));
    expect(() => checkRequestId('')).toThrow(
      'requestId: "" is not a request id',
    );
    expect(() => checkRequestId('req-1')).toThrow(
      'requestId: "req-1" is not a request id',
    );
  });

  it("lets the requester and the entity's owners follow a request, and no one else", async () => {
    await ledger.record(request(id(1), 'followed-cache'));
    const asUser = (user: string, ownershipEntityRefs: string[]) =>
      followableRequest(
        {
          ledger,
          userInfo: mockServices.userInfo({
            userEntityRef: user,
            ownershipEntityRefs,
          }),
        },
        id(1),
        checkout(),
        mockCredentials.user(user),
      );
    expect(await asUser('user:default/alice', [])).toMatchObject({
      id: id(1),
    });
    expect(
      await asUser('user:default/guest', ['group:default/team-checkout']),
    ).toMatchObject({ id: id(1) });
    expect(
      await asUser('user:default/carol', ['group:default/team-sre']),
    ).toBeUndefined();
    // Another entity of the same name (registered again) is not the one it was made for.
    expect(
      await followableRequest(
        following(),
        id(1),
        checkout('uid-2'),
        mockCredentials.user('user:default/alice'),
      ),
    ).toBeUndefined();
    expect(
      await followableRequest(
        following(),
        id(1),
        checkout(),
        mockCredentials.service('plugin:search'),
      ),
    ).toBeUndefined();
  });

  it('ends applied when the Resource carrying the request appears, whatever the ledger says yet', async () => {
    const recorded = await ledger.record(request(id(2), 'applied-cache'));
    const settled = untilRequestSettled({
      clusters,
      following: following(),
      request: recorded,
      timeoutMs: 60_000,
    });
    await createCarrying('applied-cache', id(2));
    expect(await settled).toMatchObject({
      id: id(2),
      state: 'applied',
      message: 'Applied by the platform',
    });
    // No tracker ran: the ledger still has it pending.
    expect((await ledger.get(id(2)))?.state).toBe('pending');
  });

  it('ends superseded when the tracker applies a later request for the same Resource', async () => {
    const tracker = await RequestTracker.start({
      clusters,
      ledger,
      scheduler: mockServices.scheduler.mock(),
      logger: mockServices.logger.mock(),
      config: new ConfigReader({}),
    });
    try {
      await tracker.caughtUp;
      const older = await ledger.record(
        request(id(3), 'superseded-cache'),
        new Date(Date.now() - 60_000),
      );
      await ledger.record(
        request(id(4), 'superseded-cache', { operation: 'update' }),
      );
      const settled = untilRequestSettled({
        clusters,
        following: following(),
        request: older,
        timeoutMs: 60_000,
      });
      await createCarrying('superseded-cache', id(4));
      expect(await settled).toMatchObject({
        id: id(3),
        state: 'superseded',
        message: 'Superseded by a later request',
      });
    } finally {
      await tracker.stop();
    }
  });

  it('ends closed when its pull request is closed unmerged', async () => {
    const recorded = await ledger.record(
      request(id(5), 'closed-cache', {
        mode: 'pull-request',
        pullRequestUrl: 'http://127.0.0.1:1/kratix-requests/pulls/7',
        pullRequestNumber: 7,
      }),
    );
    const settled = untilRequestSettled({
      clusters,
      following: following(),
      request: recorded,
      timeoutMs: 60_000,
    });
    await ledger.markClosed(id(5));
    expect(await settled).toMatchObject({
      state: 'closed',
      message: 'Pull request #7 was closed without merging',
      pullRequestUrl: 'http://127.0.0.1:1/kratix-requests/pulls/7',
    });
  });

  it("sees another replica's write to the ledger by reading it again", async () => {
    const recorded = await ledger.record(request(id(6), 'elsewhere-cache'));
    // The other replica's ledger: its writes reach none of this ledger's listeners.
    const other = await RequestLedger.create({ database });
    const settled = untilRequestSettled({
      clusters,
      following: { ...following(), pollMs: 20 },
      request: recorded,
      timeoutMs: 60_000,
    });
    await other.markClosed(id(6));
    expect(await settled).toMatchObject({ id: id(6), state: 'closed' });
  });

  it('answers the request as it stands when the time runs out', async () => {
    const recorded = await ledger.record(request(id(7), 'held-cache'));
    expect(
      await untilRequestSettled({
        clusters,
        following: following(),
        request: recorded,
        timeoutMs: 100,
      }),
    ).toMatchObject({
      id: id(7),
      state: 'pending',
      message: 'Committed abc1234 to main, waiting for the platform to sync',
      commitUrl: 'http://127.0.0.1:1/kratix-requests/commit/abc1234',
    });
  });
});
