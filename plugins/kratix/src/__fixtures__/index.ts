/*
 * Test helpers: real Kratix shapes (the public YAML of @internal/kratix-fixtures) turned into the
 * responses the backend sends.
 */
import type { Entity } from '@backstage/catalog-model';
// Test-only (tests alone import this folder), so a devDependency; the rule knows only __testUtils__.
// eslint-disable-next-line @backstage/no-undeclared-imports
import { readKratixFixture } from '@internal/kratix-fixtures';
import {
  toResourceView,
  type EntityResourcesResponse,
  type KratixResourceApi,
  type KratixResourceObject,
  type KratixResourceView,
} from '@kratix-backstage/plugin-kratix-common';

/** The fixture files hold either a whole object with `status`, or the status itself. */
export const fixtureStatus = (name: string): Record<string, unknown> => {
  const doc = readKratixFixture(name);
  return doc && typeof doc === 'object' && 'status' in doc ? doc.status : doc;
};

export const STATUS = {
  reconciled: 'status-examples/resource-status-reconciled-docs.yaml',
  pipelinesInProgress:
    'status-examples/resource-status-pipelines-in-progress-docs.yaml',
  firstRequest:
    'status-examples/resource-status-first-request-in-progress-docs.yaml',
  database: 'status-examples/resource-database-with-custom-status-docs.yaml',
  multiPipeline:
    'status-examples/multi-pipeline-end-status-AS-DOCUMENTED-docs.yaml',
  legacyElastic:
    'status-examples/resource-elastic-cloud-status-LEGACY-PipelineCompleted-workshop-2023.yaml',
} as const;

export const redisApi: KratixResourceApi = {
  cluster: 'platform',
  promise: 'redis',
  group: 'marketplace.kratix.io',
  version: 'v1alpha1',
  kind: 'redis',
  plural: 'redis',
};

/** The marketplace redis request with the given status (and optional metadata overrides). */
export function redisObject(
  status: Record<string, unknown> | undefined,
  metadata: Partial<KratixResourceObject['metadata']> = {},
): KratixResourceObject {
  const request = readKratixFixture('resource-requests/marketplace-redis.yaml');
  return {
    ...request,
    metadata: {
      ...request.metadata,
      creationTimestamp: '2023-01-01T11:58:00Z',
      generation: 1,
      ...metadata,
    },
    status,
  };
}

export function redisView(
  statusFile: keyof typeof STATUS | undefined,
  metadata: Partial<KratixResourceObject['metadata']> = {},
  api: Partial<KratixResourceApi> = {},
): KratixResourceView {
  const status = statusFile ? fixtureStatus(STATUS[statusFile]) : undefined;
  return toResourceView({ ...redisApi, ...api }, redisObject(status, metadata));
}

export const linkedEntity: Entity = readKratixFixture(
  'backstage-entities/ske-docs-jenkins-resource-component.yaml',
);

export const compactEntity: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: {
    name: 'shop',
    namespace: 'default',
    annotations: { 'kratix.backstage.io/resources': 'redis/default/example' },
  },
  spec: { type: 'service', owner: 'team-a', lifecycle: 'production' },
};

export const plainEntity: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name: 'plain', namespace: 'default' },
  spec: { type: 'service', owner: 'team-a', lifecycle: 'production' },
};

export function response(
  items: KratixResourceView[],
  extra: Partial<EntityResourcesResponse> = {},
): EntityResourcesResponse {
  return {
    items,
    refErrors: [],
    annotationErrors: [],
    clusters: [{ name: 'platform', sandbox: false }],
    errors: [],
    observedAt: '2026-03-16T12:00:00Z',
    ...extra,
  };
}
