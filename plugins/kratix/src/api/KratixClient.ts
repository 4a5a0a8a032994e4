import type {
  DiscoveryApi,
  FetchApi,
  OpenIdConnectApi,
} from '@backstage/core-plugin-api';
import { parseEntityRef } from '@backstage/catalog-model';
import { ResponseError } from '@backstage/errors';
import type {
  CreateResourceRequest,
  CreateResourceResponse,
  EntityResourcesResponse,
  KratixClusterInfo,
  KratixLogsQuery,
  KratixStreamLimit,
  KratixWorkflowRunsResponse,
  ManageResourceResponse,
  PromisesResponse,
  ResourceDetailsResponse,
  TimelinePageResponse,
  UpdateResourceRequest,
} from '@kratix-backstage/plugin-kratix-common';
import type {
  KratixApi,
  KratixEntityRef,
  KratixFollowLogsOptions,
  KratixResourceKey,
  KratixUnsubscribe,
  KratixWatchError,
  PromiseResourceCountsResponse,
  PromiseResourcesResponse,
} from './KratixApi';
import { KratixAccessLostError } from './KratixApi';
import { SseParser } from './sse';

export { kratixApiRef, KratixAccessLostError } from './KratixApi';
export type {
  KratixApi,
  KratixEntityRef,
  KratixFollowLogsOptions,
  KratixResourceKey,
  KratixUnsubscribe,
  KratixWatchError,
  PromiseResourceCountsResponse,
  PromiseResourcesResponse,
} from './KratixApi';

/**
 * Reconnection delays of the live stream: doubled after each failure, up to `maxMs`.
 *
 * @public
 */
export interface KratixReconnectOptions {
  initialMs: number;
  maxMs: number;
}

const DEFAULT_RECONNECT: KratixReconnectOptions = {
  initialMs: 1000,
  maxMs: 30000,
};

/**
 * A Backstage auth API that gives the signed-in user's ID token (`googleAuthApiRef`,
 * `oktaAuthApiRef`, an app's own OIDC provider, …).
 *
 * @public
 */
export type KratixIdTokenApi = Pick<OpenIdConnectApi, 'getIdToken'>;

/** The header a write carries the user's ID token in, for a cluster with `auth.type: oidc`. */
const ID_TOKEN_HEADER_PREFIX = 'x-kratix-id-token-';

/**
 * Statuses retrying cannot fix: the user must sign in, be granted access, or fix the entity. A 429
 * (too many open streams for this user) is retried with the usual backoff, the page showing the last
 * snapshot meanwhile.
 */
const PERMANENT_STATUSES = [400, 401, 403, 404];

/**
 * The stream's final `limit` frame (KratixStreamLimit): the entity links more Resources than a live
 * update may carry, so reconnecting cannot help; its message says why and what to do.
 */
class KratixStreamLimitError extends Error {
  readonly name = 'KratixStreamLimitError';
}

const isEntityResourcesResponse = (
  value: unknown,
): value is EntityResourcesResponse =>
  typeof value === 'object' &&
  value !== null &&
  Array.isArray((value as EntityResourcesResponse).items);

const toError = (value: unknown): Error =>
  value instanceof Error ? value : new Error(String(value));

/**
 * The Kratix backend client: plain JSON routes through `fetchApi` (so Backstage's credentials are
 * sent), HTTP failures as `ResponseError` (status code kept, so the UI can tell 403/404/503 apart), and
 * the live stream read from the response body because `EventSource` cannot send an Authorization header.
 *
 * @public
 */
export class KratixClient implements KratixApi {
  private readonly discoveryApi: DiscoveryApi;
  private readonly fetchApi: FetchApi;
  private readonly reconnect: KratixReconnectOptions;
  private readonly idTokenApis: Record<string, KratixIdTokenApi>;
  /** The backend's clusters (each one's idTokenProvider), from the last answer that listed them. */
  private knownClusters: KratixClusterInfo[] = [];

  constructor(options: {
    discoveryApi: DiscoveryApi;
    fetchApi: FetchApi;
    reconnect?: Partial<KratixReconnectOptions>;
    /**
     * Backstage auth APIs by provider id (`okta`, `google`, …). A write to a cluster whose
     * `auth.oidcTokenProvider` names one of them carries the user's ID token from it (asked for
     * only then), in `x-kratix-id-token-<provider>`.
     */
    idTokenApis?: Record<string, KratixIdTokenApi>;
  }) {
    this.discoveryApi = options.discoveryApi;
    this.fetchApi = options.fetchApi;
    this.reconnect = { ...DEFAULT_RECONNECT, ...options.reconnect };
    this.idTokenApis = options.idTokenApis ?? {};
  }

  async getEntityResources(
    entityRef: KratixEntityRef,
  ): Promise<EntityResourcesResponse> {
    return this.learnClusters(
      await this.get<EntityResourcesResponse>(
        `${entityPath(entityRef)}/resources`,
      ),
    );
  }

  async getResourceDetails(
    entityRef: KratixEntityRef,
    resource: KratixResourceKey,
  ): Promise<ResourceDetailsResponse> {
    return this.get(resourcePath(entityRef, resource));
  }

  async getResourceTimeline(
    entityRef: KratixEntityRef,
    resource: KratixResourceKey,
    page: { before: string; limit?: number },
  ): Promise<TimelinePageResponse> {
    const query = new URLSearchParams({ before: page.before });
    if (page.limit !== undefined) query.set('limit', String(page.limit));
    return this.get(`${resourcePath(entityRef, resource)}/timeline?${query}`);
  }

  async getResourceRuns(
    entityRef: KratixEntityRef,
    resource: KratixResourceKey,
  ): Promise<KratixWorkflowRunsResponse> {
    return this.get(`${resourcePath(entityRef, resource)}/runs`);
  }

  async getResourceLogs(
    entityRef: KratixEntityRef,
    resource: KratixResourceKey,
    query: KratixLogsQuery,
  ): Promise<string> {
    const response = await this.fetchApi.fetch(
      await this.url(
        `${resourcePath(entityRef, resource)}/logs?${logsParams(query)}`,
      ),
      { headers: { Accept: 'text/plain' } },
    );
    if (!response.ok) throw await ResponseError.fromResponse(response);
    // The last line's newline ends it; it does not start an empty line.
    return (await response.text()).replace(/\r?\n$/, '');
  }

  async followResourceLogs(
    entityRef: KratixEntityRef,
    resource: KratixResourceKey,
    query: KratixLogsQuery,
    options: KratixFollowLogsOptions,
  ): Promise<void> {
    const { onLines, signal } = options;
    const params = logsParams(query);
    params.set('follow', 'true');
    try {
      const response = await this.fetchApi.fetch(
        await this.url(`${resourcePath(entityRef, resource)}/logs?${params}`),
        { headers: { Accept: 'text/plain' }, signal },
      );
      if (!response.ok) throw await ResponseError.fromResponse(response);
      if (!response.body) {
        throw new Error('This browser cannot read a streamed response');
      }
      const reader = response.body.getReader();
      const decoder = new TextDecoder();
      // A chunk may end mid-line: the rest waits for the next chunk (or the end).
      let partial = '';
      for (;;) {
        const { done, value } = await reader.read();
        if (signal.aborted) return;
        if (done) break;
        const lines = (partial + decoder.decode(value, { stream: true })).split(
          /\r?\n/,
        );
        partial = lines.pop() ?? '';
        if (lines.length > 0) onLines(lines);
      }
      partial += decoder.decode();
      if (partial) onLines([partial]);
    } catch (e) {
      // Stopped by the caller (a dialog closed): not a failure.
      if (signal.aborted) return;
      throw e;
    }
  }

  async reconcileResource(
    entityRef: KratixEntityRef,
    resource: KratixResourceKey,
  ): Promise<ManageResourceResponse> {
    return this.send(
      'POST',
      `${resourcePath(entityRef, resource)}/reconcile`,
      resource.cluster,
    );
  }

  async pauseResource(
    entityRef: KratixEntityRef,
    resource: KratixResourceKey,
  ): Promise<ManageResourceResponse> {
    return this.send(
      'POST',
      `${resourcePath(entityRef, resource)}/pause`,
      resource.cluster,
    );
  }

  async resumeResource(
    entityRef: KratixEntityRef,
    resource: KratixResourceKey,
  ): Promise<ManageResourceResponse> {
    return this.send(
      'POST',
      `${resourcePath(entityRef, resource)}/resume`,
      resource.cluster,
    );
  }

  async updateResource(
    entityRef: KratixEntityRef,
    resource: KratixResourceKey,
    request: UpdateResourceRequest,
  ): Promise<ManageResourceResponse> {
    return this.send(
      'PATCH',
      resourcePath(entityRef, resource),
      resource.cluster,
      request,
    );
  }

  async deleteResource(
    entityRef: KratixEntityRef,
    resource: KratixResourceKey,
  ): Promise<ManageResourceResponse> {
    return this.send(
      'DELETE',
      resourcePath(entityRef, resource),
      resource.cluster,
    );
  }

  async getResource(
    resource: KratixResourceKey,
  ): Promise<ResourceDetailsResponse> {
    const parts = [
      resource.cluster,
      resource.namespace,
      resource.promise,
      resource.name,
    ].map(encodeURIComponent);
    return this.get(`/resources/${parts.join('/')}`);
  }

  async getPromises(): Promise<PromisesResponse> {
    return this.learnClusters(await this.get<PromisesResponse>('/promises'));
  }

  async getPromiseResources(promise: {
    cluster: string;
    name: string;
  }): Promise<PromiseResourcesResponse> {
    const parts = [promise.cluster, promise.name].map(encodeURIComponent);
    return this.get(`/promises/${parts.join('/')}/resources`);
  }

  async getPromiseResourceCounts(): Promise<PromiseResourceCountsResponse> {
    return this.get('/promises/resource-counts');
  }

  async createResource(
    request: CreateResourceRequest,
  ): Promise<CreateResourceResponse> {
    // Without a cluster the backend creates on its default: the first it lists.
    return this.send('POST', '/resources', request.cluster, request);
  }

  watchEntityResources(
    entityRef: KratixEntityRef,
    onUpdate: (response: EntityResourcesResponse) => void,
    onError: (error: KratixWatchError) => void,
  ): KratixUnsubscribe {
    const path = `${entityPath(entityRef)}/events`;
    const controller = new AbortController();
    let stopped = false;
    let failures = 0;
    let timer: ReturnType<typeof setTimeout> | undefined;

    const connect = async () => {
      try {
        const response = await this.fetchApi.fetch(await this.url(path), {
          headers: { Accept: 'text/event-stream' },
          signal: controller.signal,
        });
        if (!response.ok) throw await ResponseError.fromResponse(response);
        if (!response.body) {
          throw new Error('This browser cannot read a streamed response');
        }
        const reader = response.body.getReader();
        const decoder = new TextDecoder();
        const parser = new SseParser();
        for (;;) {
          const { done, value } = await reader.read();
          if (done || stopped) break;
          for (const message of parser.push(
            decoder.decode(value, { stream: true }),
          )) {
            let data: unknown;
            try {
              data = JSON.parse(message.data);
            } catch {
              continue; // not a snapshot (keep-alive or a future event type)
            }
            if (message.event === 'forbidden') {
              throw new KratixAccessLostError(
                (data as { message?: string })?.message ??
                  'You no longer have access to these Resources',
              );
            }
            if (message.event === 'limit') {
              throw new KratixStreamLimitError(
                (data as Partial<KratixStreamLimit>)?.message ??
                  'This entity links too many Resources to follow live',
              );
            }
            if (isEntityResourcesResponse(data)) {
              failures = 0;
              onUpdate(this.learnClusters(data));
            }
          }
        }
        if (!stopped) throw new Error('The live update stream was closed');
      } catch (e) {
        if (stopped) return;
        const error = toError(e);
        const retrying =
          !(error instanceof KratixAccessLostError) &&
          !(error instanceof KratixStreamLimitError) &&
          !(
            ResponseError.is(error) &&
            PERMANENT_STATUSES.includes(error.statusCode)
          );
        if (!retrying) {
          onError({ error, retrying });
          return;
        }
        const delay = Math.min(
          this.reconnect.maxMs,
          this.reconnect.initialMs * 2 ** failures,
        );
        failures += 1;
        onError({
          error,
          retrying,
          nextAttemptAt: new Date(Date.now() + delay),
        });
        timer = setTimeout(connect, delay);
      }
    };

    connect();
    return () => {
      stopped = true;
      if (timer) clearTimeout(timer);
      controller.abort();
    };
  }

  private async url(path: string): Promise<string> {
    return `${await this.discoveryApi.getBaseUrl('kratix')}${path}`;
  }

  /**
   * A write to a cluster (undefined: the backend's default): JSON body when there is one, the
   * user's ID token when the cluster wants one; HTTP failures as `ResponseError` (409 stays a 409).
   */
  private async send<T>(
    method: 'POST' | 'PATCH' | 'DELETE',
    path: string,
    cluster: string | undefined,
    body?: unknown,
  ): Promise<T> {
    const headers: Record<string, string> = await this.idTokenHeaders(cluster);
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    const response = await this.fetchApi.fetch(await this.url(path), {
      method,
      ...(Object.keys(headers).length > 0 ? { headers } : {}),
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    if (!response.ok) throw await ResponseError.fromResponse(response);
    return response.json();
  }

  /** Keeps the clusters an answer lists (each one's idTokenProvider) for the writes to come. */
  private learnClusters<T extends { clusters?: KratixClusterInfo[] }>(
    response: T,
  ): T {
    if (Array.isArray(response.clusters) && response.clusters.length > 0) {
      this.knownClusters = response.clusters;
    }
    return response;
  }

  /**
   * `x-kratix-id-token-<provider>` for a write to a cluster with `auth.type: oidc` whose provider
   * the app gave an auth API for; nothing for other clusters, and the auth API is not asked then.
   * Without a token (no such API, sign-in refused) the write goes without one, and the backend's
   * 401 names the provider to sign in with.
   */
  private async idTokenHeaders(
    cluster: string | undefined,
  ): Promise<Record<string, string>> {
    if (Object.keys(this.idTokenApis).length === 0) return {};
    const find = () =>
      cluster === undefined
        ? this.knownClusters[0]
        : this.knownClusters.find(c => c.name === cluster);
    let info = find();
    if (!info) {
      // Not seen yet (a write before any list): the Promise list names every cluster.
      try {
        await this.getPromises();
      } catch {
        return {};
      }
      info = find();
    }
    const provider = info?.idTokenProvider;
    if (!provider) return {};
    const api = this.idTokenApis[provider];
    if (!api) return {};
    try {
      const token = await api.getIdToken();
      return token ? { [`${ID_TOKEN_HEADER_PREFIX}${provider}`]: token } : {};
    } catch {
      return {};
    }
  }

  private async get<T>(path: string): Promise<T> {
    const response = await this.fetchApi.fetch(await this.url(path));
    if (!response.ok) throw await ResponseError.fromResponse(response);
    return response.json();
  }
}

/** The logs route's query: `run`, `container`, `tailLines` when given. */
function logsParams(query: KratixLogsQuery): URLSearchParams {
  const params = new URLSearchParams();
  if (query.run) params.set('run', query.run);
  if (query.container) params.set('container', query.container);
  if (query.tailLines !== undefined) {
    params.set('tailLines', String(query.tailLines));
  }
  return params;
}

/**
 * `/entities/{kind}/{namespace}/{name}` for an entity ref.
 *
 * @public
 */
export function entityPath(entityRef: KratixEntityRef): string {
  const { kind, namespace, name } =
    typeof entityRef === 'string' ? parseEntityRef(entityRef) : entityRef;
  return `/entities/${[kind.toLocaleLowerCase('en-US'), namespace, name]
    .map(encodeURIComponent)
    .join('/')}`;
}

/** `/entities/{kind}/{namespace}/{name}/resources/{cluster}/{resourceNamespace}/{promise}/{resourceName}`. */
export function resourcePath(
  entityRef: KratixEntityRef,
  resource: KratixResourceKey,
): string {
  const parts = [
    resource.cluster,
    resource.namespace,
    resource.promise,
    resource.name,
  ].map(encodeURIComponent);
  return `${entityPath(entityRef)}/resources/${parts.join('/')}`;
}
