/*
 * A KratixApi for tests: answers come from the test (fixture-derived views), and the test pushes live
 * updates and stream failures. Not a mock of a cluster: it stands where the backend client stands.
 */
import type {
  CreateResourceResponse,
  EntityResourcesResponse,
  KratixLogsQuery,
  KratixManageAction,
  KratixWorkflowRunsResponse,
  ManageResourceResponse,
  PromisesResponse,
  ResourceDetailsResponse,
  TimelinePageResponse,
  UpdateResourceRequest,
} from '@kratix-backstage/plugin-kratix-common';
import { ResponseError } from '@backstage/errors';
import type {
  KratixApi,
  KratixEntityRef,
  KratixFollowLogsOptions,
  KratixResourceKey,
  KratixWatchError,
  PromiseResourceCountsResponse,
  PromiseResourcesResponse,
} from '../api/KratixApi';

/** One manage call the component made. */
export interface ManageCall {
  action: KratixManageAction;
  key: KratixResourceKey;
  request?: UpdateResourceRequest;
}

/**
 * One `followResourceLogs` call, held open until the test ends it: the test writes lines, ends the
 * stream (the container ended) or fails it, and reads whether the component stopped following.
 */
export class FakeLogFollow {
  stopped = false;
  private settle?: { resolve: () => void; reject: (e: Error) => void };
  readonly done: Promise<void>;

  constructor(
    readonly key: KratixResourceKey,
    readonly query: KratixLogsQuery,
    private readonly options: KratixFollowLogsOptions,
  ) {
    this.done = new Promise<void>((resolve, reject) => {
      this.settle = { resolve, reject };
    });
    options.signal.addEventListener('abort', () => {
      this.stopped = true;
      this.settle?.resolve();
    });
  }

  /** New lines arrive; ignored once the follower stopped, as a closed stream would. */
  write(...lines: string[]) {
    if (!this.stopped) this.options.onLines(lines);
  }

  /** The container ended: the stream ends. */
  end() {
    this.settle?.resolve();
  }

  fail(error: Error) {
    this.settle?.reject(error);
  }
}

type Watcher = {
  onUpdate: (response: EntityResourcesResponse) => void;
  onError: (error: KratixWatchError) => void;
};

export class FakeKratixApi implements KratixApi {
  watchers: Watcher[] = [];
  detailsCalls: KratixResourceKey[] = [];
  manageCalls: ManageCall[] = [];
  /** How the backend answers a manage call; by default it accepts and echoes the Resource. */
  manage: (call: ManageCall) => Promise<ManageResourceResponse> = async call =>
    ({
      action: call.action,
      resource: { name: call.key.name },
      object: { metadata: { name: call.key.name } },
    } as unknown as ManageResourceResponse);
  promises: () => Promise<PromisesResponse> = async () => ({
    items: [],
    clusters: [],
    errors: [],
  });

  /** The Promise page's and the index's reads; by default the caller may read no Resource. */
  promiseResources: (promise: {
    cluster: string;
    name: string;
  }) => Promise<PromiseResourcesResponse> = async () => ({
    items: [],
    errors: [],
  });
  promiseResourceCounts: () => Promise<PromiseResourceCountsResponse> =
    async () => ({ items: [], errors: [] });

  getPromiseResources(promise: { cluster: string; name: string }) {
    return this.promiseResources(promise);
  }

  getPromiseResourceCounts() {
    return this.promiseResourceCounts();
  }

  constructor(
    public resources: () => Promise<EntityResourcesResponse>,
    public details: (
      key: KratixResourceKey,
    ) => Promise<ResourceDetailsResponse> = () =>
      Promise.reject(new Error('no details in this test')),
  ) {}

  getEntityResources(_entityRef: KratixEntityRef) {
    return this.resources();
  }

  getResourceDetails(_entityRef: KratixEntityRef, key: KratixResourceKey) {
    this.detailsCalls.push(key);
    return this.details(key);
  }

  getResource(key: KratixResourceKey) {
    this.detailsCalls.push(key);
    return this.details(key);
  }

  /** How the backend answers a timeline page; by default there are no older entries. */
  timelinePage: (
    key: KratixResourceKey,
    before: string,
  ) => Promise<TimelinePageResponse> = async () => ({ entries: [], total: 0 });

  getResourceTimeline(
    _entityRef: KratixEntityRef,
    key: KratixResourceKey,
    page: { before: string },
  ) {
    return this.timelinePage(key, page.before);
  }

  runsCalls: KratixResourceKey[] = [];
  /** The Resource's workflow runs; by default it has none. */
  runs: (key: KratixResourceKey) => Promise<KratixWorkflowRunsResponse> =
    async () => ({ runs: [] });
  logsCalls: KratixLogsQuery[] = [];
  /** One container's log; by default there is none to read. */
  logs: (key: KratixResourceKey, query: KratixLogsQuery) => Promise<string> =
    () => Promise.reject(new Error('no logs in this test'));
  /** Every follow the components started, newest last; each stays open until the test ends it. */
  follows: FakeLogFollow[] = [];

  getResourceRuns(_entityRef: KratixEntityRef, key: KratixResourceKey) {
    this.runsCalls.push(key);
    return this.runs(key);
  }

  getResourceLogs(
    _entityRef: KratixEntityRef,
    key: KratixResourceKey,
    query: KratixLogsQuery,
  ) {
    this.logsCalls.push(query);
    return this.logs(key, query);
  }

  followResourceLogs(
    _entityRef: KratixEntityRef,
    key: KratixResourceKey,
    query: KratixLogsQuery,
    options: KratixFollowLogsOptions,
  ) {
    const follow = new FakeLogFollow(key, query, options);
    this.follows.push(follow);
    return follow.done;
  }

  getPromises(): Promise<PromisesResponse> {
    return this.promises();
  }

  private record(call: ManageCall) {
    this.manageCalls.push(call);
    return this.manage(call);
  }

  reconcileResource(_entityRef: KratixEntityRef, key: KratixResourceKey) {
    return this.record({ action: 'reconcile', key });
  }

  pauseResource(_entityRef: KratixEntityRef, key: KratixResourceKey) {
    return this.record({ action: 'pause', key });
  }

  resumeResource(_entityRef: KratixEntityRef, key: KratixResourceKey) {
    return this.record({ action: 'resume', key });
  }

  updateResource(
    _entityRef: KratixEntityRef,
    key: KratixResourceKey,
    request: UpdateResourceRequest,
  ) {
    return this.record({ action: 'update', key, request });
  }

  deleteResource(_entityRef: KratixEntityRef, key: KratixResourceKey) {
    return this.record({ action: 'delete', key });
  }

  createResource(): Promise<CreateResourceResponse> {
    return Promise.reject(new Error('not in these tests'));
  }

  watchEntityResources(
    _entityRef: KratixEntityRef,
    onUpdate: Watcher['onUpdate'],
    onError: Watcher['onError'],
  ) {
    const watcher = { onUpdate, onError };
    this.watchers.push(watcher);
    return () => {
      this.watchers = this.watchers.filter(w => w !== watcher);
    };
  }

  push(response: EntityResourcesResponse) {
    this.watchers.forEach(w => w.onUpdate(response));
  }

  fail(error: KratixWatchError) {
    this.watchers.forEach(w => w.onError(error));
  }
}

/** A ResponseError-shaped failure, as KratixClient throws for an HTTP error status. */
export async function httpError(
  status: number,
  message: string,
  errorName = 'Error',
) {
  return ResponseError.fromResponse({
    ok: false,
    status,
    statusText: message,
    url: 'http://localhost:7007/api/kratix/entities/component/default/shop/resources',
    headers: {
      get: (name: string) =>
        name.toLowerCase() === 'content-type' ? 'application/json' : null,
    },
    text: async () =>
      JSON.stringify({
        error: { name: errorName, message },
        request: {
          method: 'GET',
          url: '/entities/component/default/shop/resources',
        },
        response: { statusCode: status },
      }),
  } as unknown as Response);
}
