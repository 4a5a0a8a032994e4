/*
 * The shapes the Kratix plugins exchange. Raw shapes (`Kratix*Object`) are what a platform cluster
 * stores; the rest is what users see, computed by the pure functions in status.ts.
 */

/**
 * A Kubernetes condition as Kratix and pipelines write them into `status.conditions`.
 *
 * @public
 */
export interface KratixCondition {
  type: string;
  status: 'True' | 'False' | 'Unknown';
  reason?: string;
  message?: string;
  lastTransitionTime?: string;
  observedGeneration?: number;
}

/**
 * Per-pipeline progress from `status.kratix.workflows.pipelines` (Kratix since 2026-03).
 *
 * @public
 */
export interface KratixPipelineStatus {
  name: string;
  phase: 'Pending' | 'Running' | 'Succeeded' | 'Failed' | 'Suspended' | string;
  message?: string;
  lastTransitionTime?: string;
  attempts?: number;
  nextRetryAt?: string;
}

/**
 * A Resource (a request for a Promise's API) as stored on the platform cluster.
 *
 * @public
 */
export interface KratixResourceObject {
  apiVersion: string;
  kind: string;
  metadata: {
    name: string;
    namespace?: string;
    uid?: string;
    generation?: number;
    resourceVersion?: string;
    creationTimestamp?: string;
    deletionTimestamp?: string;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
  };
  spec?: Record<string, unknown>;
  status?: Record<string, unknown>;
}

/**
 * Where a Resource's state stands, derived from its conditions:
 * ready (Reconciled, or the workflow completed on Kratix without Reconciled), in-progress,
 * failed, paused, blocked (its Promise's requirements are not installed, so no workflow runs),
 * deleting (`metadata.deletionTimestamp` is set: the delete workflow runs), or unknown (no workflow
 * conditions to go on).
 *
 * @public
 */
export type KratixResourceState =
  | 'ready'
  | 'in-progress'
  | 'failed'
  | 'paused'
  | 'blocked'
  | 'deleting'
  | 'unknown';

/**
 * One health record: Kratix's health checks (`status.healthRecord`, or an entry of `status.healthStatus.healthRecords`).
 *
 * @public
 */
export interface KratixHealthRecord {
  /** `ready`, `healthy`, `degraded`, `unhealthy` or `unknown` as Kratix writes it. */
  state: string;
  /** When the check last ran (ISO time; Kratix may write Unix seconds, converted). */
  lastRun?: string;
  /** Where the record came from (`namespace/name` of the HealthRecord), when known. */
  source?: string;
  details?: unknown;
}

/**
 * A Resource's health, worst record first; `state` is the overall state.
 *
 * @public
 */
export interface KratixResourceHealth {
  state: string;
  lastRun?: string;
  records: KratixHealthRecord[];
}

/**
 * The condition that says whether the configure workflow finished: `ConfigureWorkflowCompleted`
 * on current Kratix, `PipelineCompleted` on Kratix before October 2024.
 *
 * @public
 */
export interface KratixWorkflowCompletion {
  conditionType: 'ConfigureWorkflowCompleted' | 'PipelineCompleted';
  state: 'completed' | 'running' | 'failed' | 'unknown';
  condition: KratixCondition;
}

/**
 * A Resource as users see it.
 *
 * @public
 */
export interface KratixResourceView {
  /** Identity */
  cluster: string;
  promise: string;
  group: string;
  version: string;
  kind: string;
  plural: string;
  namespace: string;
  name: string;
  uid?: string;
  createdAt?: string;
  /** Who asked for it (the `kratix.backstage.io/requested-by` annotation), when known. */
  requestedBy?: string;
  /** The catalog entity it belongs to, when recorded. */
  entityRef?: string;
  generation?: number;
  observedGeneration?: number;

  /** What `kubectl get` shows in MESSAGE: `status.message`, `Pending` before any workflow ran. */
  message: string;
  state: KratixResourceState;
  /** Everything the workflow wrote besides `message` and `conditions`. */
  extraStatus: Record<string, unknown>;
  /** Fields Kratix itself manages (`kratix`, `observedGeneration`, workflow counters, …). */
  kratixStatus: Record<string, unknown>;
  /** Every condition, workflow-completion first. */
  conditions: KratixCondition[];
  workflowCompletion?: KratixWorkflowCompletion;
  pipelines: KratixPipelineStatus[];
  lastSuccessfulConfigureWorkflowTime?: string;
  labels: Record<string, string>;
  paused: boolean;
  /** `metadata.deletionTimestamp`: Kratix is running the delete workflow. */
  deletionTimestamp?: string;
  /** The resourceVersion the view was read at (sent back when changing the spec). */
  resourceVersion?: string;
  /** Health from Kratix's health checks, when any ran. */
  health?: KratixResourceHealth;
  /**
   * Each Work's state and its placements' (Destination and state), in lists and live updates;
   * absent when the cluster's Works could not be read.
   */
  works?: KratixWorkSummary[];
  /**
   * In an entity's list, how the Resource is the entity's: `claimed` (its
   * `kratix.backstage.io/resources` annotation names it) or `platform` (the entity does not claim
   * it; the Resource's `kratix.backstage.io/entity-ref` names the entity and is bound to it, or
   * `kratix.namespaceOwners` gives its namespace to the entity's owner). Absent elsewhere.
   */
  link?: 'claimed' | 'platform';
}

/**
 * A Work in brief: enough for a list to show where a Resource landed and to notice a change.
 *
 * @public
 */
export interface KratixWorkSummary {
  name: string;
  state: KratixWorkState;
  placements: Array<{ destination: string; state: KratixWorkState }>;
}

/**
 * A Promise as users see it, with what a form needs to request its Resources.
 *
 * @public
 */
export interface KratixPromiseView {
  cluster: string;
  name: string;
  group: string;
  version: string;
  kind: string;
  plural: string;
  description?: string;
  /** `status.status` (`Available` / `Unavailable`), when Kratix set it. */
  status?: string;
  promiseVersion?: string;
  /** The names in `spec.requiredPromises`: Promises that must be installed for this one to work. */
  requiredPromises?: string[];
  conditions: KratixCondition[];
  /** The storage version's `openAPIV3Schema`, for forms and validation. */
  schema?: Record<string, unknown>;
}

/**
 * One entry of a Resource's timeline, oldest first.
 *
 * @public
 */
export interface KratixTimelineEntry {
  time: string;
  /**
   * resource: the request itself (created); condition: a recorded transition; job: a workflow run;
   * event: a Kubernetes Event; action: what a user did through Backstage (title: the action,
   * status: the user entity ref); work: a Work's or WorkPlacement's condition transition (title:
   * `Work <name>` or `WorkPlacement <name>`, status/reason/message from the condition).
   */
  source: 'resource' | 'condition' | 'job' | 'event' | 'action' | 'work';
  /** Condition type, pipeline name, or event reason. */
  title: string;
  status?: string;
  reason?: string;
  message?: string;
  generation?: number;
  /** For jobs: when it finished, and how long it took. */
  endTime?: string;
  durationMs?: number;
  /** For jobs: the Job's name, the `run` its logs are asked for by. */
  job?: string;
}

/**
 * Where a Work stands, read from its `Ready` condition's message as Kratix does
 * (`Ready`, `Pending`, `Failing`, `Misplaced`; a missing condition is pending).
 *
 * @public
 */
export type KratixWorkState = 'ready' | 'pending' | 'failing' | 'misplaced';

/**
 * A Destination as a placement names it: where Kratix writes a Work's files.
 *
 * @public
 */
export interface KratixDestinationView {
  name: string;
  /** False when the placement names a Destination the cluster no longer has. */
  found: boolean;
  labels: Record<string, string>;
  /** `spec.stateStoreRef`: the kind (`GitStateStore`, `BucketStateStore`, …) and name. */
  stateStore?: { kind: string; name: string };
  /** `spec.path`, the Destination's folder in its state store. */
  path?: string;
  strictMatchLabels?: boolean;
  conditions: KratixCondition[];
}

/**
 * One WorkPlacement: a Work's workload group scheduled to one Destination.
 *
 * @public
 */
export interface KratixWorkPlacementView {
  name: string;
  namespace: string;
  workloadGroupId?: string;
  state: KratixWorkState;
  /**
   * The Destination's labels no longer match the Work's selectors, so Kratix stopped writing to it
   * (its Ready message says `Misplaced`; the `kratix.io/misplaced` label Kratix adds is never removed).
   */
  misplaced: boolean;
  destination: KratixDestinationView;
  conditions: KratixCondition[];
  /** The files it writes (paths only, never contents). */
  files: string[];
}

/**
 * One Work: what a workflow produced for a Resource, and where Kratix placed it.
 *
 * @public
 */
export interface KratixWorkView {
  name: string;
  namespace: string;
  /** The pipeline that wrote it (`kratix.io/pipeline-name`). */
  pipeline?: string;
  state: KratixWorkState;
  /** The `Ready` condition's reason and message, when Kratix set them. */
  reason?: string;
  message?: string;
  conditions: KratixCondition[];
  workloadGroups: Array<{
    id: string;
    directory: string;
    /** Paths of the files in the group (never contents). */
    files: string[];
    /** The label selectors that chose its Destinations. */
    destinationSelectors: Array<{
      matchLabels: Record<string, string>;
      source?: string;
    }>;
  }>;
  placements: KratixWorkPlacementView[];
}
