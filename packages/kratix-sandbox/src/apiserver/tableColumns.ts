/*
 * The columns of server-side Table output: NAME plus a CRD's additionalPrinterColumns (or the
 * default Age column), and hand-written printers for the built-in kinds, as kube's printers do.
 */
import type { KubeObject, PrinterColumn, ResourceType } from '../store/types';
import { ageOf, humanDuration } from './humanDuration';
import { evaluateJsonPath, parseJsonPath } from './jsonPath';

export interface ColumnDefinition {
  name: string;
  type: string;
  format: string;
  description: string;
  priority: number;
}

export interface TableColumn {
  definition: ColumnDefinition;
  cell(object: KubeObject): unknown;
}

const column = (
  name: string,
  type: string,
  cell: (o: KubeObject) => unknown,
  extra: Partial<ColumnDefinition> = {},
): TableColumn => ({
  definition: {
    name,
    type,
    format: '',
    description: '',
    priority: 0,
    ...extra,
  },
  cell,
});

const NAME = column('Name', 'string', o => o.metadata.name, {
  format: 'name',
  description: 'Name must be unique within a namespace.',
});
const AGE = column('Age', 'date', o => ageOf(o.metadata.creationTimestamp), {
  description:
    'CreationTimestamp is a timestamp representing the server time when this object was created.',
});

const get = (o: unknown, ...path: string[]): any =>
  path.reduce<any>(
    (acc, key) => (acc && typeof acc === 'object' ? acc[key] : undefined),
    o,
  );

function jobStatus(job: KubeObject): string {
  const conditions: any[] = get(job, 'status', 'conditions') ?? [];
  const isTrue = (type: string) =>
    conditions.some(c => c.type === type && c.status === 'True');
  for (const type of [
    'Failed',
    'Complete',
    'FailureTarget',
    'SuccessCriteriaMet',
    'Suspended',
  ]) {
    if (isTrue(type)) return type;
  }
  return job.metadata.deletionTimestamp ? 'Terminating' : 'Running';
}

function jobDuration(job: KubeObject): string {
  const start = get(job, 'status', 'startTime');
  if (!start) return '';
  const end = get(job, 'status', 'completionTime');
  return humanDuration(
    (end ? Date.parse(end) : Date.now()) - Date.parse(start),
  );
}

function eventLastSeen(event: KubeObject): string {
  const last =
    get(event, 'lastTimestamp') ??
    get(event, 'eventTime') ??
    get(event, 'firstTimestamp') ??
    event.metadata.creationTimestamp;
  const first = get(event, 'firstTimestamp') ?? last;
  const count = get(event, 'count') ?? get(event, 'series', 'count') ?? 1;
  return count > 1
    ? `${ageOf(last)} (x${count} over ${ageOf(first)})`
    : ageOf(last);
}

/** kube's printPod: READY, STATUS (Init:N/M, Init:Error, Completed, …) and RESTARTS. */
function podSummary(pod: KubeObject) {
  const init: any[] = get(pod, 'status', 'initContainerStatuses') ?? [];
  const main: any[] = get(pod, 'status', 'containerStatuses') ?? [];
  const initSpecs: any[] = get(pod, 'spec', 'initContainers') ?? [];
  let reason: string =
    get(pod, 'status', 'reason') ?? get(pod, 'status', 'phase') ?? '';
  let restarts = 0;
  let ready = 0;
  let initializing = false;
  for (const [i, c] of init.entries()) {
    restarts += c.restartCount ?? 0;
    const terminated = c.state?.terminated;
    const waiting = c.state?.waiting;
    if (terminated && terminated.exitCode === 0) continue;
    if (terminated) {
      reason = terminated.reason
        ? `Init:${terminated.reason}`
        : `Init:ExitCode:${terminated.exitCode}`;
    } else if (waiting?.reason && waiting.reason !== 'PodInitializing') {
      reason = `Init:${waiting.reason}`;
    } else {
      reason = `Init:${i}/${initSpecs.length}`;
    }
    initializing = true;
    break;
  }
  if (!initializing) {
    let hasRunning = false;
    for (const c of [...main].reverse()) {
      restarts += c.restartCount ?? 0;
      const state = c.state ?? {};
      if (state.waiting?.reason) reason = state.waiting.reason;
      else if (state.terminated?.reason) reason = state.terminated.reason;
      else if (state.terminated)
        reason = `ExitCode:${state.terminated.exitCode}`;
      else if (state.running && c.ready) {
        hasRunning = true;
        ready++;
      }
    }
    if (reason === 'Completed' && hasRunning) reason = 'Running';
  }
  if (pod.metadata.deletionTimestamp) reason = 'Terminating';
  const total = (get(pod, 'spec', 'containers') ?? []).length;
  return { ready: `${ready}/${total}`, reason, restarts };
}

const CREATED_AT = column(
  'Created At',
  'date',
  o => o.metadata.creationTimestamp ?? '',
);

/** kube's printer for RoleBindings and ClusterRoleBindings: the role, then who (wide). */
function bindingColumns(): TableColumn[] {
  const subjects = (o: KubeObject, kind: string): string =>
    ((get(o, 'subjects') ?? []) as any[])
      .filter(s => s?.kind === kind)
      .map(s =>
        kind === 'ServiceAccount' ? `${s.namespace ?? ''}/${s.name}` : s.name,
      )
      .join(', ');
  const wide = (name: string, kind: string) =>
    column(name, 'string', o => subjects(o, kind), { priority: 1 });
  return [
    NAME,
    column(
      'Role',
      'string',
      o =>
        `${get(o, 'roleRef', 'kind') ?? ''}/${get(o, 'roleRef', 'name') ?? ''}`,
    ),
    AGE,
    wide('Users', 'User'),
    wide('Groups', 'Group'),
    wide('ServiceAccounts', 'ServiceAccount'),
  ];
}

const BUILTIN: Record<string, TableColumn[]> = {
  'rbac.authorization.k8s.io/roles': [NAME, CREATED_AT],
  'rbac.authorization.k8s.io/clusterroles': [NAME, CREATED_AT],
  'rbac.authorization.k8s.io/rolebindings': bindingColumns(),
  'rbac.authorization.k8s.io/clusterrolebindings': bindingColumns(),
  '/pods': [
    NAME,
    column('Ready', 'string', o => podSummary(o).ready, {
      description:
        'The aggregate readiness state of this pod for accepting traffic.',
    }),
    column('Status', 'string', o => podSummary(o).reason, {
      description: 'The aggregate status of the containers in this pod.',
    }),
    column('Restarts', 'string', o => String(podSummary(o).restarts), {
      description:
        'The number of times the containers in this pod have been restarted and when the last container in this pod has restarted.',
    }),
    AGE,
    column('IP', 'string', o => get(o, 'status', 'podIP') ?? '<none>', {
      priority: 1,
      description: 'IP address allocated to the pod.',
    }),
    column('Node', 'string', o => get(o, 'spec', 'nodeName') ?? '<none>', {
      priority: 1,
      description: 'Name of the node this pod runs on.',
    }),
  ],
  // kube's printConfigMap: the number of keys in data and binaryData.
  '/configmaps': [
    NAME,
    column(
      'Data',
      'integer',
      o =>
        Object.keys((o.data as object | undefined) ?? {}).length +
        Object.keys((o.binaryData as object | undefined) ?? {}).length,
    ),
    AGE,
  ],
  '/namespaces': [
    NAME,
    column('Status', 'string', o => get(o, 'status', 'phase') ?? ''),
    AGE,
  ],
  'batch/jobs': [
    NAME,
    column('Status', 'string', jobStatus),
    column(
      'Completions',
      'string',
      o =>
        `${get(o, 'status', 'succeeded') ?? 0}/${
          get(o, 'spec', 'completions') ?? 1
        }`,
    ),
    column('Duration', 'string', jobDuration),
    AGE,
  ],
  '/events': [
    column('Last Seen', 'string', eventLastSeen),
    column('Type', 'string', o => get(o, 'type') ?? ''),
    column('Reason', 'string', o => get(o, 'reason') ?? ''),
    column(
      'Object',
      'string',
      o =>
        `${String(get(o, 'involvedObject', 'kind') ?? '').toLowerCase()}/${
          get(o, 'involvedObject', 'name') ?? ''
        }`,
    ),
    column('Message', 'string', o => get(o, 'message') ?? ''),
  ],
  'apiextensions.k8s.io/customresourcedefinitions': [
    NAME,
    column('Created At', 'date', o => o.metadata.creationTimestamp ?? ''),
  ],
};

/** apiextensions' cellForJSONValue: typed cells, dates as ages, nothing for a type mismatch. */
function typedCell(type: string, value: unknown): unknown {
  switch (type) {
    case 'date':
      return ageOf(value);
    case 'integer':
      return typeof value === 'number' && Number.isInteger(value)
        ? value
        : null;
    case 'number':
      return typeof value === 'number' ? value : null;
    case 'boolean':
      return typeof value === 'boolean' ? value : null;
    default:
      return typeof value === 'string' ? value : JSON.stringify(value);
  }
}

function printerColumn(printer: PrinterColumn): TableColumn {
  let steps: ReturnType<typeof parseJsonPath> | undefined;
  try {
    steps = parseJsonPath(printer.jsonPath);
  } catch {
    steps = undefined; // an unsupported path shows as an empty cell, not a failed request
  }
  return column(
    printer.name,
    printer.type,
    o => {
      const results = steps ? evaluateJsonPath(steps, o) : [];
      return results.length ? typedCell(printer.type, results[0]) : null;
    },
    {
      format: printer.format ?? '',
      description: printer.description ?? '',
      priority: printer.priority ?? 0,
    },
  );
}

export function columnsFor(type: ResourceType, version: string): TableColumn[] {
  const builtin = BUILTIN[`${type.group}/${type.plural}`];
  if (builtin) return builtin;
  const printers = type.printerColumns?.[version];
  if (!printers?.length) return [NAME, AGE];
  return [NAME, ...printers.map(printerColumn)];
}
