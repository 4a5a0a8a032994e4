/*
 * Names Kratix uses on the wire (labels, condition types/reasons/messages, API groups).
 * Source: github.com/syntasso/kratix @ ae170e22e974e45bb7cfda00986057e01b3ccfde (api/v1alpha1,
 * internal/controller, lib/resourceutil, lib/workflow, work-creator).
 */
import type { TypeKey } from '../../store/types';

export const KRATIX_GROUP = 'platform.kratix.io';
export const KRATIX_VERSION = 'v1alpha1';
export const PROMISE_KEY: TypeKey = { group: KRATIX_GROUP, plural: 'promises' };
export const CRD_KEY: TypeKey = {
  group: 'apiextensions.k8s.io',
  plural: 'customresourcedefinitions',
};
export const JOB_KEY: TypeKey = { group: 'batch', plural: 'jobs' };
export const EVENT_KEY: TypeKey = { group: '', plural: 'events' };
export const NAMESPACE_KEY: TypeKey = { group: '', plural: 'namespaces' };

/** Kratix's own namespace: Promise workflow Jobs run here (`v1alpha1.SystemNamespace`). */
export const SYSTEM_NAMESPACE = 'kratix-platform-system';

export const LABEL_PROMISE_NAME = 'kratix.io/promise-name';
export const LABEL_PROMISE_VERSION = 'kratix.io/promise-version';
export const LABEL_RESOURCE_NAME = 'kratix.io/resource-name';
export const LABEL_RESOURCE_NAMESPACE = 'kratix.io/resource-namespace';
export const LABEL_PIPELINE_NAME = 'kratix.io/pipeline-name';
export const LABEL_WORKFLOW_TYPE = 'kratix.io/workflow-type';
export const LABEL_WORKFLOW_ACTION = 'kratix.io/workflow-action';
export const LABEL_MANAGED_BY = 'app.kubernetes.io/managed-by';
export const LABEL_MANUAL_RECONCILIATION = 'kratix.io/manual-reconciliation';
export const LABEL_PAUSED = 'kratix.io/paused';
export const LABEL_RECONCILE_RESOURCES = 'kratix.io/reconcile-resources';

export const ANNOTATION_JOB_RESOURCE_NAMESPACE =
  'kratix.io/job-resource-namespace';
export const ANNOTATION_JOB_RESOURCE_NAME = 'kratix.io/job-resource-name';
export const ANNOTATION_JOB_RESOURCE_KIND = 'kratix.io/job-resource-kind';
export const ANNOTATION_JOB_RESOURCE_API_VERSION =
  'kratix.io/job-resource-api-version';

/**
 * Sandbox-only switch (not a Kratix annotation): a Promise carrying it is emulated as Kratix
 * behaved before KX 5a827eda (2024-10-18, SKE v0.7.0): `PipelineCompleted` condition, deep-merged
 * status.yaml, single STATUS printer column, no counters/`kratix` block/Reconciled/events.
 */
export const ANNOTATION_EMULATE = 'sandbox.kratix.io/emulate';
export const EMULATE_LEGACY_PIPELINE_COMPLETED = 'legacy-pipeline-completed';

export const COND = {
  configureWorkflowCompleted: 'ConfigureWorkflowCompleted',
  worksSucceeded: 'WorksSucceeded',
  reconciled: 'Reconciled',
  promiseAvailable: 'PromiseAvailable',
  pipelineCompleted: 'PipelineCompleted',
  available: 'Available',
  requirementsFulfilled: 'RequirementsFulfilled',
} as const;

export const PHASE = {
  pending: 'Pending',
  running: 'Running',
  succeeded: 'Succeeded',
  failed: 'Failed',
} as const;

export const KRATIX_STATUS_KEY_ERROR =
  "'kratix' is a kratix managed status field that cannot be updated via workflows; " +
  "remove update to 'kratix' from the '/kratix/metadata/status.yaml' file";
