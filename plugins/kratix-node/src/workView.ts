/*
 * A Work, its WorkPlacements and their Destinations as users see them: readiness as Kratix reads
 * it (the Ready condition's message), where each placement went, and the paths it writes — never
 * the contents, which can hold whatever the pipeline put in them.
 */
import type { KubernetesObject } from '@kubernetes/client-node';
import {
  workStateOf,
  type KratixCondition,
  type KratixDestinationView,
  type KratixWorkView,
} from '@kratix-backstage/plugin-kratix-common';

type Workload = { filepath?: string };

/** `platform.kratix.io/v1alpha1` Work, as far as the view reads it. */
export interface WorkObject extends KubernetesObject {
  spec?: {
    promiseName?: string;
    resourceName?: string;
    workloadGroups?: Array<{
      id?: string;
      directory?: string;
      workloads?: Workload[];
      destinationSelectors?: Array<{
        matchLabels?: Record<string, string>;
        source?: string;
      }>;
    }>;
  };
  status?: { conditions?: KratixCondition[] };
}

/** `platform.kratix.io/v1alpha1` WorkPlacement. */
export interface WorkPlacementObject extends KubernetesObject {
  spec?: {
    id?: string;
    targetDestinationName?: string;
    workloads?: Workload[];
  };
  status?: { conditions?: KratixCondition[] };
}

/** `platform.kratix.io/v1alpha1` Destination. */
export interface DestinationObject extends KubernetesObject {
  spec?: {
    path?: string;
    strictMatchLabels?: boolean;
    stateStoreRef?: { kind?: string; name?: string };
  };
  status?: { conditions?: KratixCondition[] };
}

const MISPLACED_LABEL = 'kratix.io/misplaced';

const filesOf = (workloads: Workload[] | undefined) =>
  (workloads ?? []).flatMap(w => (w.filepath ? [w.filepath] : [])).sort();

function destinationView(
  name: string,
  destination: DestinationObject | undefined,
): KratixDestinationView {
  if (!destination) return { name, found: false, labels: {}, conditions: [] };
  const ref = destination.spec?.stateStoreRef;
  return {
    name,
    found: true,
    labels: { ...destination.metadata?.labels },
    stateStore:
      ref?.kind && ref.name ? { kind: ref.kind, name: ref.name } : undefined,
    path: destination.spec?.path,
    strictMatchLabels: destination.spec?.strictMatchLabels,
    conditions: destination.status?.conditions ?? [],
  };
}

export function workView(
  work: WorkObject,
  placements: WorkPlacementObject[],
  destinationNamed: (name: string) => DestinationObject | undefined,
): KratixWorkView {
  const conditions = work.status?.conditions ?? [];
  const ready = conditions.find(c => c.type === 'Ready');
  return {
    name: work.metadata?.name ?? '',
    namespace: work.metadata?.namespace ?? 'default',
    pipeline: work.metadata?.labels?.['kratix.io/pipeline-name'],
    state: workStateOf(conditions),
    reason: ready?.reason,
    message: ready?.message,
    conditions,
    workloadGroups: (work.spec?.workloadGroups ?? []).map(group => ({
      id: group.id ?? '',
      directory: group.directory ?? '.',
      files: filesOf(group.workloads),
      destinationSelectors: (group.destinationSelectors ?? []).map(s => ({
        matchLabels: { ...s.matchLabels },
        source: s.source,
      })),
    })),
    placements: placements
      .map(wp => {
        const destination = wp.spec?.targetDestinationName ?? '';
        const wpConditions = wp.status?.conditions ?? [];
        return {
          name: wp.metadata?.name ?? '',
          namespace: wp.metadata?.namespace ?? 'default',
          workloadGroupId: wp.spec?.id,
          state: workStateOf(wpConditions),
          // Kratix labels a misplaced placement and never removes the label (KX scheduler.go
          // labelWorkplacementAsMisplaced), so once its labels match again, Ready says it is not.
          misplaced: wpConditions.some(c => c.type === 'Ready')
            ? workStateOf(wpConditions) === 'misplaced'
            : wp.metadata?.labels?.[MISPLACED_LABEL] !== undefined,
          destination: destinationView(
            destination,
            destinationNamed(destination),
          ),
          conditions: wpConditions,
          files: filesOf(wp.spec?.workloads),
        };
      })
      .sort((a, b) => a.name.localeCompare(b.name)),
  };
}
