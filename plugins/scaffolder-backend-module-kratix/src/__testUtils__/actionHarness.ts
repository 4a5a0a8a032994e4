/*
 * Runs the actions as the scaffolder would: createMockActionContext with the initiator's
 * credentials, a logger whose lines the tests read, and the outputs collected. The create flow is
 * the real ResourceCreation over the real cluster service, and waits go through the real wait
 * service; the catalog and the permission decision are Backstage's test doubles (the integration
 * tests in packages/backend run the real ones).
 */
import type { LoggerService } from '@backstage/backend-plugin-api';
import { mockCredentials, mockServices } from '@backstage/backend-test-utils';
import type { Entity } from '@backstage/catalog-model';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import type { TemplateAction } from '@backstage/plugin-scaffolder-node';
import { createMockActionContext } from '@backstage/plugin-scaffolder-node-test-utils';
import type { JsonObject } from '@backstage/types';
import {
  DefaultKratixWaitService,
  ResourceCreation,
  type KratixClusterService,
  type KratixRequestDelivery,
  type KratixWaitLimits,
} from '@kratix-backstage/plugin-kratix-node';

export const checkoutService: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name: 'checkout-service', namespace: 'default' },
  spec: { type: 'service', owner: 'group:default/team-checkout' },
};

export const searchService: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name: 'search-service', namespace: 'default' },
  spec: { type: 'service', owner: 'group:default/team-search' },
};

type Result = 'allow' | 'deny';

/** One answer for every permission, or answers by permission name (`otherwise` for the rest). */
export function permissionsThat(
  result: Result | { [permission: string]: Result; otherwise: Result },
) {
  const decide = (name: string) => {
    const answer =
      typeof result === 'string' ? result : result[name] ?? result.otherwise;
    return {
      result: answer === 'allow' ? AuthorizeResult.ALLOW : AuthorizeResult.DENY,
    } as const;
  };
  return mockServices.permissions.mock({
    authorize: async requests => requests.map(r => decide(r.permission.name)),
    authorizeConditional: async requests =>
      requests.map(r => decide(r.permission.name)),
  });
}

/** The real wait service over the cluster service, with the given limits (defaults otherwise). */
export function waitsWith(
  clusters: KratixClusterService,
  limits: Partial<KratixWaitLimits> = {},
) {
  return new DefaultKratixWaitService(clusters, {
    maxSeconds: 900,
    maxPerUser: 3,
    ...limits,
  });
}

export function creationWith(
  clusters: KratixClusterService,
  permissions = permissionsThat('allow'),
  options: {
    /** Git delivery, as the Kratix plugin gives the create flow (absent: direct clusters only). */
    delivery?: KratixRequestDelivery;
  } = {},
) {
  const audits: Array<{ status: string; error?: string }> = [];
  const auditor = mockServices.auditor.mock({
    createEvent: async () => ({
      success: async () => {
        audits.push({ status: 'succeeded' });
      },
      fail: async ({ error }) => {
        audits.push({ status: 'failed', error: error.name });
      },
    }),
  });
  const creation = new ResourceCreation({
    catalog: catalogServiceMock({ entities: [checkoutService, searchService] }),
    permissions,
    clusters,
    auditor,
    delivery: options.delivery,
  });
  return { creation, audits };
}

export interface Run {
  output: Record<string, any>;
  logs: string[];
}

/** Runs an action's handler as `user`; rejects as the step would fail. */
export async function runAction(
  action: TemplateAction<any, any>,
  input: JsonObject,
  options: {
    user?: string;
    isDryRun?: boolean;
    logs?: string[];
    /** Called with each log line as it is written. */
    onLog?: (line: string) => void;
    signal?: AbortSignal;
    /** The task's workspace (a new temporary one when omitted). */
    workspacePath?: string;
  } = {},
): Promise<Run> {
  const logs = options.logs ?? [];
  const record = (message: string) => {
    logs.push(message);
    options.onLog?.(message);
  };
  const logger = mockServices.logger.mock({
    info: record,
    warn: record,
    error: record,
  }) as unknown as LoggerService;
  const output: Record<string, any> = {};
  // createMockActionContext takes only input, logger and a few others; the rest is set here.
  const ctx = {
    ...createMockActionContext({
      input,
      logger,
      ...(options.workspacePath
        ? { workspacePath: options.workspacePath }
        : {}),
    }),
    isDryRun: options.isDryRun,
    signal: options.signal,
    getInitiatorCredentials: async () =>
      mockCredentials.user(options.user ?? 'user:default/guest'),
    output: (name: string, value: any) => {
      output[name] = value;
    },
  };
  await action.handler(ctx as any);
  return { output, logs };
}

/** A step started in the background, and the moment it logs a line matching `started`. */
export function startStep(
  run: (options: {
    onLog: (line: string) => void;
    signal: AbortSignal;
  }) => Promise<Run>,
  started: RegExp,
) {
  const abort = new AbortController();
  let onStarted: () => void = () => {};
  const startedSignal = new Promise<void>(resolve => {
    onStarted = resolve;
  });
  const result = run({
    signal: abort.signal,
    onLog: line => {
      if (started.test(line)) onStarted();
    },
  });
  // Settled either way; the tests look at `outcome`.
  const outcome = result.then(
    done => ({ ok: true as const, error: undefined, run: done }),
    (error: Error) => ({ ok: false as const, error, run: undefined }),
  );
  return {
    abort: () => abort.abort(),
    /** Resolves when the step logs `started`, or rejects with the step's error if it ends first. */
    started: Promise.race([
      startedSignal,
      outcome.then(o => {
        throw o.error ?? new Error('ended without starting to wait');
      }),
    ]),
    outcome,
  };
}
