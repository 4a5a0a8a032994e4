/*
 * Emulates Kratix's work-creator (KX work-creator/lib/work_creator.go), the init container that
 * runs after a Resource's pipeline containers: turns `/kratix/output/` into a Work in the
 * Resource's namespace (or the Promise's pipelineNamespace), one workload group per directory
 * named in `/kratix/metadata/destination-selectors.yaml` plus the default group for the rest.
 */
import crypto from 'node:crypto';
import zlib from 'node:zlib';
import { parse } from 'yaml';
import type { KubeObject, Store } from '../../store/types';
import {
  KRATIX_GROUP,
  KRATIX_VERSION,
  LABEL_PIPELINE_NAME,
  LABEL_PROMISE_NAME,
  LABEL_RESOURCE_NAME,
  LABEL_RESOURCE_NAMESPACE,
} from '../common/constants';
import type { PipelineOutput } from '../runner/pipelineRunner';
import { WORK_KEY } from './schedulingTypes';
import { StatusWriteError } from '../workflows/statusMerge';
import { clone } from '../common/storeUtil';
import { generateObjectName } from '../workflows/workflowRecords';

export const LABEL_WORK_TYPE = 'kratix.io/work-type';
/** v1alpha1.DefaultWorkloadGroupDirectory */
export const DEFAULT_DIRECTORY = '.';

export interface Selector {
  matchLabels: Record<string, string>;
  source: string;
}

export interface WorkloadGroup {
  id: string;
  directory: string;
  workloads: Array<{ filepath: string; content: string }>;
  destinationSelectors?: Selector[];
}

export interface WorkTarget {
  promise: KubeObject;
  resourceName: string;
  resourceNamespace: string;
  pipelineName: string;
  /** The Promise's workflows.config.pipelineNamespace, when set. */
  pipelineNamespace?: string;
}

export const md5 = (text: string) =>
  crypto.createHash('md5').update(text).digest('hex');

/** compression.CompressContent: gzip, then standard base64. */
export function compressContent(content: Buffer): string {
  return zlib.gzipSync(content).toString('base64');
}

export function decompressContent(content: string): Buffer {
  return zlib.gunzipSync(Buffer.from(content, 'base64'));
}

interface WorkflowSelector {
  directory?: string;
  matchLabels?: Record<string, string>;
}

/** ParseDestinationSelectors; a malformed file fails the pipeline, as the init container would. */
function parseSelectors(text: string | undefined): WorkflowSelector[] {
  if (!text) return [];
  let parsed: unknown;
  try {
    parsed = parse(text);
  } catch (error) {
    throw new StatusWriteError(
      `failed to parse destination-selectors.yaml: ${error}`,
    );
  }
  if (parsed === null || parsed === undefined) return [];
  if (!Array.isArray(parsed))
    throw new StatusWriteError(
      'failed to parse destination-selectors.yaml: not a list',
    );
  return parsed as WorkflowSelector[];
}

const isRoot = (dir: string | undefined) =>
  !dir || dir === DEFAULT_DIRECTORY || dir === './' || dir === '/';

const stripSlash = (dir: string) => dir.replace(/^\.\//, '').replace(/\/$/, '');

/** The Promise's spec.destinationSelectors, squashed (later entries win, as SquashPromiseScheduling). */
function promiseSelectors(promise: KubeObject): Record<string, string> {
  const list = ((promise.spec as any)?.destinationSelectors ?? []) as Array<{
    matchLabels?: Record<string, string>;
  }>;
  return Object.assign({}, ...list.map(s => s.matchLabels ?? {}));
}

export function buildWorkloadGroups(
  output: PipelineOutput,
  promise: KubeObject,
  workflowType = 'resource',
): WorkloadGroup[] {
  const groups: WorkloadGroup[] = [];
  const ignored: string[] = [];
  let defaultSelectors: Record<string, string> | undefined;
  const toWorkload = (f: PipelineOutput['files'][number]) => ({
    content: compressContent(f.content),
    filepath: f.filepath,
  });
  for (const selector of parseSelectors(output.destinationSelectors)) {
    if (isRoot(selector.directory)) {
      defaultSelectors = selector.matchLabels ?? {};
      continue;
    }
    const directory = stripSlash(selector.directory!);
    ignored.push(directory);
    groups.push({
      workloads: output.files
        .filter(f => f.filepath.startsWith(`${directory}/`))
        .map(toWorkload),
      directory,
      id: md5(directory),
      destinationSelectors: [
        {
          matchLabels: selector.matchLabels ?? {},
          source: `${workflowType}-workflow`,
        },
      ],
    });
  }
  const rest = output.files.filter(
    f => !ignored.some(dir => f.filepath.startsWith(`${dir}/`)),
  );
  if (rest.length > 0) {
    const selectors: Selector[] = [];
    if (defaultSelectors)
      selectors.push({
        matchLabels: defaultSelectors,
        source: `${workflowType}-workflow`,
      });
    const fromPromise = promiseSelectors(promise);
    if (Object.keys(fromPromise).length > 0)
      selectors.push({ matchLabels: fromPromise, source: 'promise' });
    groups.push({
      workloads: rest.map(toWorkload),
      directory: DEFAULT_DIRECTORY,
      id: md5(DEFAULT_DIRECTORY),
      ...(selectors.length ? { destinationSelectors: selectors } : {}),
    });
  }
  return groups;
}

/** Creates the pipeline's Work, or updates the spec of the one its labels already name. */
export function createOrUpdateWork(
  store: Store,
  target: WorkTarget,
  output: PipelineOutput,
): KubeObject {
  const promiseName = target.promise.metadata.name;
  const { resourceName, pipelineName } = target;
  const resourceNamespace = target.pipelineNamespace
    ? target.resourceNamespace
    : '';
  const identifier = resourceNamespace
    ? `${promiseName}-${resourceName}-${resourceNamespace}-${pipelineName}`
    : `${promiseName}-${resourceName}-${pipelineName}`;
  const namespace = target.pipelineNamespace ?? target.resourceNamespace;
  const labels: Record<string, string> = {
    [LABEL_PROMISE_NAME]: promiseName,
    [LABEL_WORK_TYPE]: 'resource',
    [LABEL_PIPELINE_NAME]: pipelineName,
    [LABEL_RESOURCE_NAME]: resourceName,
  };
  if (resourceNamespace) labels[LABEL_RESOURCE_NAMESPACE] = resourceNamespace;
  const spec = {
    lastExecutionTimestamp: new Date().toISOString().replace(/\.\d{3}Z$/, 'Z'),
    workloadGroups: buildWorkloadGroups(output, target.promise),
    promiseName,
    resourceName,
  };
  const labelSelector = Object.entries(labels)
    .map(([k, v]) => `${k}=${v}`)
    .join(',');
  const current = store.list(WORK_KEY, { namespace, labelSelector }).items[0];
  if (current) {
    const next = clone(current);
    next.spec = spec;
    return store.update(WORK_KEY, next);
  }
  return store.create(WORK_KEY, {
    apiVersion: `${KRATIX_GROUP}/${KRATIX_VERSION}`,
    kind: 'Work',
    metadata: { name: generateObjectName(identifier), namespace, labels },
    spec,
  });
}
