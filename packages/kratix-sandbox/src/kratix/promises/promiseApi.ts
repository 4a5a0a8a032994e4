/*
 * Reading a Promise: its Resource API (`spec.api`, a CRD), its workflows, and the CRD Kratix
 * generates from it (KX promise_types.go GetAPI, promise_controller.go generateCRDAndGVK /
 * setStatusFieldsOnCRD / ensureMetadataSchema).
 */
import type { KubeObject } from '../../store/types';
import {
  ANNOTATION_EMULATE,
  EMULATE_LEGACY_PIPELINE_COMPLETED,
  LABEL_PROMISE_NAME,
} from '../common/constants';
import { clone } from '../common/storeUtil';

export interface PromiseApi {
  crdName: string;
  group: string;
  /** The storage version (falls back to the first version). */
  version: string;
  kind: string;
  plural: string;
}

export interface PipelineContainer {
  name?: string;
  image: string;
  env?: Array<{ name: string; value?: string }>;
}

export interface PipelineDef {
  name: string;
  containers: PipelineContainer[];
}

type Obj = Record<string, any>;

function spec(promise: KubeObject): Obj {
  return (promise.spec ?? {}) as Obj;
}

export function getPromiseApi(promise: KubeObject): PromiseApi | undefined {
  const api = spec(promise).api as Obj | undefined;
  if (!api?.spec?.names?.kind) return undefined;
  const versions: Obj[] = Array.isArray(api.spec.versions)
    ? api.spec.versions
    : [];
  const storage = versions.find(v => v.storage) ?? versions[0];
  return {
    crdName: api.metadata?.name ?? `${api.spec.names.plural}.${api.spec.group}`,
    group: api.spec.group,
    version: storage?.name ?? 'v1alpha1',
    kind: api.spec.names.kind,
    plural:
      api.spec.names.plural ?? `${String(api.spec.names.kind).toLowerCase()}s`,
  };
}

/** `status.apiVersion` as Kratix reports it: lower-cased group/version. */
export function promiseApiVersion(api: PromiseApi): string {
  return `${api.group}/${api.version}`.toLowerCase();
}

export function isLegacyPromise(promise: KubeObject | undefined): boolean {
  return (
    promise?.metadata.annotations?.[ANNOTATION_EMULATE] ===
    EMULATE_LEGACY_PIPELINE_COMPLETED
  );
}

/** Pipelines of `spec.workflows.<type>.configure`, in order. */
export function configurePipelines(
  promise: KubeObject,
  type: 'resource' | 'promise',
): PipelineDef[] {
  return workflowPipelines(promise, type, 'configure');
}

/** Pipelines of `spec.workflows.<type>.delete` (Kratix runs only the first). */
export function deletePipelines(
  promise: KubeObject,
  type: 'resource' | 'promise',
): PipelineDef[] {
  return workflowPipelines(promise, type, 'delete');
}

function workflowPipelines(
  promise: KubeObject,
  type: 'resource' | 'promise',
  action: 'configure' | 'delete',
): PipelineDef[] {
  const list = spec(promise).workflows?.[type]?.[action];
  if (!Array.isArray(list)) return [];
  return list.map((p: Obj, i: number) => ({
    name: p?.metadata?.name ?? `pipeline-${i}`,
    containers: Array.isArray(p?.spec?.containers)
      ? p.spec.containers.filter((c: Obj) => typeof c?.image === 'string')
      : [],
  }));
}

export function pipelineNamespace(promise: KubeObject): string | undefined {
  const ns = spec(promise).workflows?.config?.pipelineNamespace;
  return typeof ns === 'string' && ns ? ns : undefined;
}

export function requiredPromises(
  promise: KubeObject,
): Array<{ name: string; version?: string }> {
  const list = spec(promise).requiredPromises;
  return Array.isArray(list)
    ? list.filter((r: Obj) => typeof r?.name === 'string')
    : [];
}

const CONDITION_SCHEMA = {
  type: 'object',
  properties: {
    lastTransitionTime: { type: 'string', format: 'datetime' },
    message: { type: 'string' },
    reason: { type: 'string' },
    status: { type: 'string' },
    type: { type: 'string' },
  },
};

const INT64 = { type: 'integer', format: 'int64' };

/** The `status` schema Kratix puts on every version of a generated CRD (HEAD). */
export function kratixStatusSchema(legacy: boolean): Obj {
  if (legacy) {
    // Before 2024-10: message, observedGeneration and conditions only.
    return {
      type: 'object',
      'x-kubernetes-preserve-unknown-fields': true,
      properties: {
        message: { type: 'string' },
        observedGeneration: INT64,
        conditions: { type: 'array', items: CONDITION_SCHEMA },
      },
    };
  }
  return {
    type: 'object',
    'x-kubernetes-preserve-unknown-fields': true,
    properties: {
      message: { type: 'string' },
      observedGeneration: INT64,
      workflows: INT64,
      workflowsSucceeded: INT64,
      workflowsFailed: INT64,
      conditions: { type: 'array', items: CONDITION_SCHEMA },
      kratix: {
        type: 'object',
        properties: {
          workflows: {
            type: 'object',
            properties: {
              lastSuccessfulConfigureWorkflowTime: { type: 'string' },
              pipelines: {
                type: 'array',
                items: {
                  type: 'object',
                  properties: {
                    name: { type: 'string' },
                    phase: { type: 'string' },
                    message: { type: 'string' },
                    nextRetryAt: { type: 'string' },
                    attempts: INT64,
                    lastTransitionTime: { type: 'string', format: 'datetime' },
                  },
                },
              },
              suspendedGeneration: INT64,
            },
          },
        },
      },
    },
  };
}

/** The CRD Kratix creates for a Promise's API. */
export function generateCrd(promise: KubeObject): KubeObject | undefined {
  const api = spec(promise).api as Obj | undefined;
  if (!api?.spec?.names?.kind) return undefined;
  const legacy = isLegacyPromise(promise);
  const crd = clone(api) as Obj;
  crd.apiVersion = 'apiextensions.k8s.io/v1';
  crd.kind = 'CustomResourceDefinition';
  crd.metadata = {
    ...(crd.metadata ?? {}),
    labels: {
      ...(crd.metadata?.labels ?? {}),
      [LABEL_PROMISE_NAME]: promise.metadata.name,
    },
  };
  for (const version of crd.spec.versions ?? []) {
    version.subresources = { ...(version.subresources ?? {}), status: {} };
    if (
      !Array.isArray(version.additionalPrinterColumns) ||
      version.additionalPrinterColumns.length === 0
    ) {
      // HEAD: message + Reconciled message; before KX c4b33611 (2025-06) a single `status` ← .status.message.
      version.additionalPrinterColumns = legacy
        ? [{ name: 'status', type: 'string', jsonPath: '.status.message' }]
        : [
            { name: 'message', type: 'string', jsonPath: '.status.message' },
            {
              name: 'status',
              type: 'string',
              jsonPath: '.status.conditions[?(@.type=="Reconciled")].message',
            },
          ];
    }
    version.schema = version.schema ?? {};
    const root = (version.schema.openAPIV3Schema = version.schema
      .openAPIV3Schema ?? { type: 'object' });
    root.properties = root.properties ?? {};
    root.properties.status = kratixStatusSchema(legacy);
  }
  // ensureMetadataSchema (GetAPI): storage version only; resource names become label values (≤ 63).
  const versions: Obj[] = crd.spec.versions ?? [];
  const storage = versions.find(v => v.storage) ?? versions[0];
  const root = storage?.schema?.openAPIV3Schema;
  if (root) {
    const metadata = (root.properties.metadata = root.properties.metadata ?? {
      type: 'object',
      properties: {},
    });
    metadata.properties = metadata.properties ?? {};
    const name = metadata.properties.name?.type
      ? metadata.properties.name
      : { type: 'string' };
    metadata.properties.name = { ...name, maxLength: 63 };
  }
  return crd as KubeObject;
}

/** Go serialises Promise status counters without omitempty, and the Promise CRD requires them. */
export function withPromiseCounters(status: Record<string, unknown>): void {
  for (const key of ['workflows', 'workflowsSucceeded', 'workflowsFailed']) {
    if (typeof status[key] !== 'number') status[key] = 0;
  }
}
