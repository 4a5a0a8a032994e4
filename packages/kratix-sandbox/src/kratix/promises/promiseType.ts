/*
 * The Promise kind itself (KX config/crd/bases/platform.kratix.io_promises.yaml, trimmed of
 * descriptions): cluster-scoped, category `kratix`, status subresource, Kratix's printer columns.
 * Installed as a CRD object when the store serves CRDs (so `kubectl get crd` lists it, as on a
 * real platform cluster), otherwise defined directly.
 */
import type { KubeObject, ResourceType, Store } from '../../store/types';
import {
  CRD_KEY,
  KRATIX_GROUP,
  KRATIX_VERSION,
  PROMISE_KEY,
} from '../common/constants';

const INT64 = { type: 'integer', format: 'int64' };
const CONDITIONS = {
  type: 'array',
  items: {
    type: 'object',
    required: ['lastTransitionTime', 'message', 'reason', 'status', 'type'],
    properties: {
      lastTransitionTime: { type: 'string', format: 'date-time' },
      message: { type: 'string', maxLength: 32768 },
      observedGeneration: { ...INT64, minimum: 0 },
      reason: { type: 'string', maxLength: 1024, minLength: 1 },
      status: { type: 'string', enum: ['True', 'False', 'Unknown'] },
      type: { type: 'string', maxLength: 316 },
    },
  },
};
const PIPELINES = {
  type: 'object',
  properties: {
    pipelines: {
      type: 'array',
      items: {
        type: 'object',
        properties: {
          attempts: INT64,
          lastTransitionTime: { type: 'string', format: 'date-time' },
          message: { type: 'string' },
          name: { type: 'string' },
          nextRetryAt: { type: 'string' },
          phase: { type: 'string' },
        },
      },
    },
    suspendedGeneration: INT64,
  },
};
const PRESERVE_ARRAY = {
  type: 'array',
  items: { type: 'object' },
  'x-kubernetes-preserve-unknown-fields': true,
};

export const PROMISE_SCHEMA: Record<string, unknown> = {
  type: 'object',
  properties: {
    apiVersion: { type: 'string' },
    kind: { type: 'string' },
    metadata: { type: 'object' },
    spec: {
      type: 'object',
      properties: {
        api: {
          type: 'object',
          'x-kubernetes-embedded-resource': true,
          'x-kubernetes-preserve-unknown-fields': true,
        },
        dependencies: {
          type: 'array',
          items: {
            type: 'object',
            'x-kubernetes-preserve-unknown-fields': true,
          },
        },
        destinationSelectors: {
          type: 'array',
          items: {
            type: 'object',
            properties: {
              matchLabels: {
                type: 'object',
                additionalProperties: { type: 'string' },
              },
            },
          },
        },
        requiredPromises: {
          type: 'array',
          items: {
            type: 'object',
            properties: {
              name: { type: 'string' },
              version: { type: 'string' },
            },
          },
        },
        workflows: {
          type: 'object',
          properties: {
            config: {
              type: 'object',
              properties: {
                pipelineNamespace: { type: 'string' },
                reconciliationInterval: { type: 'string' },
              },
            },
            promise: {
              type: 'object',
              properties: { configure: PRESERVE_ARRAY, delete: PRESERVE_ARRAY },
            },
            resource: {
              type: 'object',
              properties: { configure: PRESERVE_ARRAY, delete: PRESERVE_ARRAY },
            },
          },
        },
      },
    },
    status: {
      type: 'object',
      required: ['workflows', 'workflowsFailed', 'workflowsSucceeded'],
      properties: {
        apiVersion: { type: 'string' },
        conditions: CONDITIONS,
        kind: { type: 'string' },
        kratix: {
          type: 'object',
          properties: {
            apiVersion: { type: 'string' },
            kind: { type: 'string' },
            lastAvailableTime: { type: 'string', format: 'date-time' },
            status: { type: 'string' },
            version: { type: 'string' },
            workflows: PIPELINES,
          },
        },
        lastAvailableTime: { type: 'string', format: 'date-time' },
        message: { type: 'string' },
        observedGeneration: INT64,
        requiredBy: {
          type: 'array',
          items: {
            type: 'object',
            properties: {
              promise: {
                type: 'object',
                properties: {
                  name: { type: 'string' },
                  version: { type: 'string' },
                },
              },
              requiredVersion: { type: 'string' },
            },
          },
        },
        requiredPromises: {
          type: 'array',
          items: {
            type: 'object',
            properties: {
              name: { type: 'string' },
              state: { type: 'string' },
              version: { type: 'string' },
            },
          },
        },
        status: { type: 'string' },
        version: { type: 'string' },
        workflows: INT64,
        workflowsFailed: INT64,
        workflowsSucceeded: INT64,
      },
    },
  },
};

export const PROMISE_PRINTER_COLUMNS = [
  { name: 'Status', type: 'string', jsonPath: '.status.status' },
  { name: 'Kind', type: 'string', jsonPath: '.status.kind' },
  { name: 'API Version', type: 'string', jsonPath: '.status.apiVersion' },
  { name: 'Version', type: 'string', jsonPath: '.status.version' },
  { name: 'Message', type: 'string', jsonPath: '.status.message' },
];

export const PROMISE_TYPE: ResourceType = {
  group: KRATIX_GROUP,
  versions: [KRATIX_VERSION],
  storageVersion: KRATIX_VERSION,
  kind: 'Promise',
  listKind: 'PromiseList',
  plural: 'promises',
  singular: 'promise',
  categories: ['kratix'],
  namespaced: false,
  statusSubresource: true,
  schemas: { [KRATIX_VERSION]: PROMISE_SCHEMA },
  printerColumns: { [KRATIX_VERSION]: PROMISE_PRINTER_COLUMNS },
};

export const PROMISE_CRD: KubeObject = {
  apiVersion: 'apiextensions.k8s.io/v1',
  kind: 'CustomResourceDefinition',
  metadata: { name: 'promises.platform.kratix.io' },
  spec: {
    group: KRATIX_GROUP,
    names: {
      categories: ['kratix'],
      kind: 'Promise',
      listKind: 'PromiseList',
      plural: 'promises',
      singular: 'promise',
    },
    scope: 'Cluster',
    versions: [
      {
        name: KRATIX_VERSION,
        served: true,
        storage: true,
        additionalPrinterColumns: PROMISE_PRINTER_COLUMNS,
        schema: { openAPIV3Schema: PROMISE_SCHEMA },
        subresources: { status: {} },
      },
    ],
  },
};

/** Makes `promises.platform.kratix.io` servable; idempotent. */
export function registerPromiseType(store: Store): void {
  if (store.getType(PROMISE_KEY)) return;
  if (
    store.getType(CRD_KEY) &&
    !store.get(CRD_KEY, undefined, PROMISE_CRD.metadata.name)
  ) {
    try {
      store.create(CRD_KEY, structuredClone(PROMISE_CRD));
    } catch {
      // fall through to defining the type directly
    }
  }
  // No CRD controller installed (or it did not define the type): define it ourselves.
  if (!store.getType(PROMISE_KEY))
    store.defineType(structuredClone(PROMISE_TYPE));
}
