/*
 * The built-in kinds a Kratix platform cluster needs: Namespaces, ConfigMaps, Events, Jobs (the
 * emulated workflow runs) and CustomResourceDefinitions. Jobs and Events are read-only over HTTP. RBAC
 * (rbac/rbacTypes.ts) and the create-only access reviews (auth/reviewTypes.ts) are defined there.
 */
import { randomUUID } from 'node:crypto';
import { REVIEW_TYPES } from '../auth/reviewTypes';
import { RBAC_TYPES } from '../rbac/rbacTypes';
import { CRD_KEY, validateCrd } from './crdTypes';
import { validateLabelName } from './names';
import type { KubeObject, ResourceType, StatusCause, Store } from './types';

export const NAMESPACE_TYPE: ResourceType = {
  group: '',
  versions: ['v1'],
  storageVersion: 'v1',
  kind: 'Namespace',
  listKind: 'NamespaceList',
  plural: 'namespaces',
  singular: 'namespace',
  shortNames: ['ns'],
  namespaced: false,
  statusSubresource: true,
  selectableFields: ['status.phase'],
  hooks: {
    prepareForCreate(object) {
      const name = object.metadata.name;
      // What the namespace strategy and admission add to every namespace.
      object.metadata.labels = {
        ...object.metadata.labels,
        'kubernetes.io/metadata.name': name,
      };
      object.spec = { finalizers: ['kubernetes'] };
      object.status = { phase: 'Active' };
    },
    validate: (object, previous) =>
      previous ? [] : validateLabelName(object.metadata.name),
  },
};

const CONFIG_MAP_KEY_PATTERN = /^[-._a-zA-Z0-9]+$/;

/** apimachinery's IsConfigMapKey, for every key of `data` and `binaryData`; values are strings. */
function validateConfigMap(object: KubeObject): StatusCause[] {
  const causes: StatusCause[] = [];
  const seen = new Set<string>();
  for (const field of ['data', 'binaryData'] as const) {
    const map = object[field];
    if (map === undefined || map === null) continue;
    if (typeof map !== 'object' || Array.isArray(map)) {
      causes.push({
        reason: 'FieldValueInvalid',
        field,
        message: `Invalid value: ${field} must be a map of strings`,
      });
      continue;
    }
    for (const [key, value] of Object.entries(map as Record<string, unknown>)) {
      if (
        key.length > 253 ||
        !CONFIG_MAP_KEY_PATTERN.test(key) ||
        key === '.' ||
        key === '..'
      ) {
        causes.push({
          reason: 'FieldValueInvalid',
          field: `${field}[${key}]`,
          message: `Invalid value: "${key}": a valid config key must consist of alphanumeric characters, '-', '_' or '.'`,
        });
      }
      if (typeof value !== 'string') {
        causes.push({
          reason: 'FieldValueInvalid',
          field: `${field}[${key}]`,
          message: `Invalid value: the value of "${key}" must be a string`,
        });
      }
      if (seen.has(key)) {
        causes.push({
          reason: 'FieldValueDuplicate',
          field: `${field}[${key}]`,
          message: `Duplicate value: "${key}" is in both data and binaryData`,
        });
      }
      seen.add(key);
    }
  }
  return causes;
}

/** Plain configuration, e.g. the Git sync's suspend switch (flux-system/kratix-requests-sync). */
export const CONFIG_MAP_TYPE: ResourceType = {
  group: '',
  versions: ['v1'],
  storageVersion: 'v1',
  kind: 'ConfigMap',
  listKind: 'ConfigMapList',
  plural: 'configmaps',
  singular: 'configmap',
  shortNames: ['cm'],
  namespaced: true,
  statusSubresource: false,
  hooks: { validate: object => validateConfigMap(object) },
};

export const EVENT_TYPE: ResourceType = {
  group: '',
  versions: ['v1'],
  storageVersion: 'v1',
  kind: 'Event',
  listKind: 'EventList',
  plural: 'events',
  singular: 'event',
  shortNames: ['ev'],
  namespaced: true,
  statusSubresource: false,
  readOnly: true,
  // The field selectors kubectl describe and event clients use.
  selectableFields: [
    'involvedObject.kind',
    'involvedObject.namespace',
    'involvedObject.name',
    'involvedObject.uid',
    'involvedObject.apiVersion',
    'involvedObject.resourceVersion',
    'involvedObject.fieldPath',
    'reason',
    'reportingComponent',
    'source',
    'type',
  ],
};

export const JOB_TYPE: ResourceType = {
  group: 'batch',
  versions: ['v1'],
  storageVersion: 'v1',
  kind: 'Job',
  listKind: 'JobList',
  plural: 'jobs',
  singular: 'job',
  categories: ['all'],
  namespaced: true,
  statusSubresource: true,
  readOnly: true,
  selectableFields: ['status.successful'],
  hooks: {
    // The Job strategy's generated selector: the Job's own uid, on the Job and its Pod template.
    prepareForCreate(job) {
      const uid = randomUUID();
      job.metadata.uid = uid;
      const spec = (job.spec ?? {}) as Record<string, any>;
      const template = spec.template ?? {};
      const labels = {
        'batch.kubernetes.io/controller-uid': uid,
        'batch.kubernetes.io/job-name': job.metadata.name,
        'controller-uid': uid,
        'job-name': job.metadata.name,
      };
      job.spec = {
        ...spec,
        selector: {
          matchLabels: { 'batch.kubernetes.io/controller-uid': uid },
        },
        template: {
          ...template,
          metadata: {
            ...template.metadata,
            labels: { ...template.metadata?.labels, ...labels },
          },
        },
      };
    },
  },
};

export const POD_KEY = { group: '', plural: 'pods' };

/** Pipeline Pods (one per pipeline Job), with `pods/log` served beside them. */
export const POD_TYPE: ResourceType = {
  group: '',
  versions: ['v1'],
  storageVersion: 'v1',
  kind: 'Pod',
  listKind: 'PodList',
  plural: 'pods',
  singular: 'pod',
  shortNames: ['po'],
  categories: ['all'],
  namespaced: true,
  statusSubresource: true,
  readOnly: true,
  // The pod field selectors the apiserver supports (pkg/registry/core/pod/strategy.go).
  selectableFields: [
    'spec.nodeName',
    'spec.restartPolicy',
    'spec.schedulerName',
    'spec.serviceAccountName',
    'spec.hostNetwork',
    'status.phase',
    'status.podIP',
    'status.nominatedNodeName',
  ],
};

export const CRD_TYPE: ResourceType = {
  group: CRD_KEY.group,
  versions: ['v1'],
  storageVersion: 'v1',
  kind: 'CustomResourceDefinition',
  listKind: 'CustomResourceDefinitionList',
  plural: CRD_KEY.plural,
  singular: 'customresourcedefinition',
  shortNames: ['crd', 'crds'],
  categories: ['api-extensions'],
  namespaced: false,
  statusSubresource: true,
  hooks: {
    validate: object => validateCrd(object),
  },
};

export const BUILTIN_TYPES: ResourceType[] = [
  NAMESPACE_TYPE,
  CONFIG_MAP_TYPE,
  EVENT_TYPE,
  JOB_TYPE,
  POD_TYPE,
  CRD_TYPE,
  // RBAC and the access reviews: every Kubernetes API server serves them.
  ...RBAC_TYPES,
  ...REVIEW_TYPES,
];

/** Namespaces every sandbox cluster has, as kubeadm clusters have default and kube-system. */
export const BUILTIN_NAMESPACES = [
  'default',
  'kube-system',
  'kratix-platform-system',
];

export function registerBuiltinTypes(store: Store): void {
  for (const type of BUILTIN_TYPES) store.defineType(type);
  for (const name of BUILTIN_NAMESPACES) {
    if (!store.get(NAMESPACE_TYPE, undefined, name)) {
      store.create(NAMESPACE_TYPE, {
        apiVersion: 'v1',
        kind: 'Namespace',
        metadata: { name },
      });
    }
  }
}
