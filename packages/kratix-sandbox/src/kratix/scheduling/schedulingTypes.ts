/*
 * The kinds Kratix installs for scheduling (KX config/crd/bases/platform.kratix.io_{works,
 * workplacements,destinations}.yaml, trimmed of descriptions): namespaced Work and WorkPlacement,
 * cluster-scoped Destination, all with a status subresource and Kratix's printer columns.
 */
import type {
  KubeObject,
  ResourceType,
  Store,
  TypeKey,
} from '../../store/types';
import { CRD_KEY, KRATIX_GROUP, KRATIX_VERSION } from '../common/constants';

export const WORK_KEY: TypeKey = { group: KRATIX_GROUP, plural: 'works' };
export const WORKPLACEMENT_KEY: TypeKey = {
  group: KRATIX_GROUP,
  plural: 'workplacements',
};
export const DESTINATION_KEY: TypeKey = {
  group: KRATIX_GROUP,
  plural: 'destinations',
};

const CONDITIONS = {
  type: 'array',
  items: {
    type: 'object',
    required: ['lastTransitionTime', 'message', 'reason', 'status', 'type'],
    properties: {
      lastTransitionTime: { type: 'string', format: 'date-time' },
      message: { type: 'string', maxLength: 32768 },
      observedGeneration: { type: 'integer', format: 'int64', minimum: 0 },
      reason: { type: 'string', maxLength: 1024, minLength: 1 },
      status: { type: 'string', enum: ['True', 'False', 'Unknown'] },
      type: { type: 'string', maxLength: 316 },
    },
  },
};
const MATCH_LABELS = {
  type: 'object',
  additionalProperties: { type: 'string' },
};
const WORKLOADS = {
  type: 'array',
  items: {
    type: 'object',
    properties: {
      content: { type: 'string' },
      filepath: { type: 'string' },
    },
  },
};

function schema(
  spec: Record<string, unknown>,
  status: Record<string, unknown>,
) {
  return {
    type: 'object',
    properties: {
      apiVersion: { type: 'string' },
      kind: { type: 'string' },
      metadata: { type: 'object' },
      spec: { type: 'object', properties: spec },
      status: { type: 'object', properties: status },
    },
  };
}

interface KindDef {
  kind: string;
  plural: string;
  singular: string;
  namespaced: boolean;
  schema: Record<string, unknown>;
  columns: Array<{ name: string; type: string; jsonPath: string }>;
}

const KINDS: KindDef[] = [
  {
    kind: 'Work',
    plural: 'works',
    singular: 'work',
    namespaced: true,
    schema: schema(
      {
        promiseName: { type: 'string' },
        resourceName: { type: 'string' },
        lastExecutionTimestamp: { type: 'string', format: 'date-time' },
        workloadGroups: {
          type: 'array',
          items: {
            type: 'object',
            properties: {
              id: { type: 'string' },
              directory: { type: 'string' },
              workloads: WORKLOADS,
              destinationSelectors: {
                type: 'array',
                items: {
                  type: 'object',
                  properties: {
                    matchLabels: MATCH_LABELS,
                    source: { type: 'string' },
                  },
                },
              },
            },
          },
        },
      },
      {
        conditions: CONDITIONS,
        workPlacements: { type: 'integer' },
        workPlacementsCreated: { type: 'integer' },
      },
    ),
    columns: [
      {
        name: 'Status',
        type: 'string',
        jsonPath: '.status.conditions[?(@.type=="Ready")].message',
      },
    ],
  },
  {
    kind: 'WorkPlacement',
    plural: 'workplacements',
    singular: 'workplacement',
    namespaced: true,
    schema: schema(
      {
        id: { type: 'string' },
        promiseName: { type: 'string' },
        resourceName: { type: 'string' },
        targetDestinationName: { type: 'string' },
        workloads: WORKLOADS,
      },
      { conditions: CONDITIONS, versionID: { type: 'string' } },
    ),
    columns: [
      {
        name: 'Destination',
        type: 'string',
        jsonPath: '.spec.targetDestinationName',
      },
      {
        name: 'Status',
        type: 'string',
        jsonPath: '.status.conditions[?(@.type=="Ready")].message',
      },
    ],
  },
  {
    kind: 'Destination',
    plural: 'destinations',
    singular: 'destination',
    namespaced: false,
    schema: schema(
      {
        path: { type: 'string' },
        strictMatchLabels: { type: 'boolean' },
        stateStoreRef: {
          type: 'object',
          properties: { kind: { type: 'string' }, name: { type: 'string' } },
        },
        filepath: {
          type: 'object',
          properties: {
            mode: {
              type: 'string',
              enum: ['nestedByMetadata', 'aggregatedYAML', 'none'],
            },
          },
        },
        cleanup: { type: 'string' },
        initWorkloads: {
          type: 'object',
          properties: { enabled: { type: 'boolean' } },
        },
      },
      { conditions: CONDITIONS },
    ),
    columns: [
      {
        name: 'Ready',
        type: 'string',
        jsonPath: '.status.conditions[?(@.type=="Ready")].status',
      },
    ],
  },
];

export function schedulingCrd(def: KindDef): KubeObject {
  return {
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: { name: `${def.plural}.${KRATIX_GROUP}` },
    spec: {
      group: KRATIX_GROUP,
      names: {
        categories: ['kratix'],
        kind: def.kind,
        listKind: `${def.kind}List`,
        plural: def.plural,
        singular: def.singular,
      },
      scope: def.namespaced ? 'Namespaced' : 'Cluster',
      versions: [
        {
          name: KRATIX_VERSION,
          served: true,
          storage: true,
          additionalPrinterColumns: def.columns,
          schema: { openAPIV3Schema: def.schema },
          subresources: { status: {} },
        },
      ],
    },
  };
}

function typeOf(def: KindDef): ResourceType {
  return {
    group: KRATIX_GROUP,
    versions: [KRATIX_VERSION],
    storageVersion: KRATIX_VERSION,
    kind: def.kind,
    listKind: `${def.kind}List`,
    plural: def.plural,
    singular: def.singular,
    categories: ['kratix'],
    namespaced: def.namespaced,
    statusSubresource: true,
    schemas: { [KRATIX_VERSION]: def.schema },
    printerColumns: { [KRATIX_VERSION]: def.columns },
  };
}

/** Serves works, workplacements and destinations (as CRDs when the store serves CRDs); idempotent. */
export function registerSchedulingTypes(store: Store): void {
  for (const def of KINDS) {
    const key = { group: KRATIX_GROUP, plural: def.plural };
    if (store.getType(key)) continue;
    const crd = schedulingCrd(def);
    if (
      store.getType(CRD_KEY) &&
      !store.get(CRD_KEY, undefined, crd.metadata.name)
    ) {
      try {
        store.create(CRD_KEY, crd);
      } catch {
        // fall through to defining the type directly
      }
    }
    if (!store.getType(key)) store.defineType(typeOf(def));
  }
}
