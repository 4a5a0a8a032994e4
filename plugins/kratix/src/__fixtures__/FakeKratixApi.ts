/*
 * A KratixApi for tests: answers come from the test (fixture-derived views), and the test pushes live
 * updates and stream failures. Not a mock of a cluster: it stands where the backend client stands.
 */
import type {
  CreateResourceResponse,
  EntityResourcesResponse,
  PromisesResponse,
  ResourceDetailsResponse,
} from '@kratix-backstage/plugin-kratix-common';
import { ResponseError } from '@backstage/errors';
import type {
  KratixApi,
  KratixEntityRef,
  KratixResourceKey,
  KratixWatchError,
} from '../api/KratixApi';

type Watcher = {
  onUpdate: (response: EntityResourcesResponse) => void;
  onError: (error: KratixWatchError) => void;
};

export class FakeKratixApi implements KratixApi {
  watchers: Watcher[] = [];
  detailsCalls: KratixResourceKey[] = [];

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

  getPromises(): Promise<PromisesResponse> {
    return Promise.resolve({ items: [], clusters: [], errors: [] });
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
export async function httpError(status: number, message: string) {
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
        error: { name: 'Error', message },
        request: {
          method: 'GET',
          url: '/entities/component/default/shop/resources',
        },
        response: { statusCode: status },
      }),
  } as unknown as Response);
}
