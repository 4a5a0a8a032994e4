/* Test helpers: real Kratix shapes (from the YAML beside this file) turned into backend responses. */
import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import type { Entity } from '@backstage/catalog-model';
import {
  toResourceView,
  type EntityResourcesResponse,
  type KratixResourceApi,
  type KratixResourceObject,
  type KratixResourceView,
} from '@kratix-backstage/plugin-kratix-common';

export const readFixture = (name: string): any =>
  parse(fs.readFileSync(path.join(__dirname, name), 'utf8'));

/** The fixture files hold either a whole object with `status`, or the status itself. */
export const fixtureStatus = (name: string): Record<string, unknown> => {
  const doc = readFixture(name);
  return doc && typeof doc === 'object' && 'status' in doc ? doc.status : doc;
};

export const STATUS = {
  reconciled: 'resource-status-reconciled-docs.yaml',
  pipelinesInProgress: 'resource-status-pipelines-in-progress-docs.yaml',
  firstRequest: 'resource-status-first-request-in-progress-docs.yaml',
  database: 'resource-database-with-custom-status-docs.yaml',
  multiPipeline: 'multi-pipeline-end-status-AS-DOCUMENTED-docs.yaml',
  legacyElastic:
    'resource-elastic-cloud-status-LEGACY-PipelineCompleted-workshop-2023.yaml',
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
  const request = readFixture('resource-request-marketplace-redis.yaml');
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

export const linkedEntity: Entity = readFixture(
  'ske-docs-jenkins-resource-component.yaml',
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
