/*
 * Pure model of "Where it landed": the Resource, the Works its workflows produced, and the
 * Destinations Kratix placed them on, as graph nodes and edges; and, when the Resource's
 * `WorksSucceeded` condition is not True, which Works are at fault and why, in plain words.
 */
import {
  CONDITION,
  type KratixCondition,
  type KratixResourceView,
  type KratixWorkPlacementView,
  type KratixWorkState,
  type KratixWorkView,
} from '@kratix-backstage/plugin-kratix-common';

/** What an edge from a Work to a Destination says: the placement's state, as a reader puts it. */
export type PlacementEdgeState = 'placed' | 'misplaced' | 'failing' | 'pending';

export const EDGE_STATE_FOR: Record<KratixWorkState, PlacementEdgeState> = {
  ready: 'placed',
  misplaced: 'misplaced',
  failing: 'failing',
  pending: 'pending',
};

/** Worst first: when one Work reaches one Destination twice (two workload groups), the worse shows. */
const EDGE_RANK: PlacementEdgeState[] = [
  'failing',
  'misplaced',
  'pending',
  'placed',
];

export function placementState(
  placement: KratixWorkPlacementView,
): PlacementEdgeState {
  // `misplaced` also covers a placement Kratix labelled misplaced before it wrote Ready.
  if (placement.misplaced) return 'misplaced';
  return EDGE_STATE_FOR[placement.state] ?? 'pending';
}

export function worse(
  a: PlacementEdgeState,
  b: PlacementEdgeState,
): PlacementEdgeState {
  return EDGE_RANK.indexOf(a) <= EDGE_RANK.indexOf(b) ? a : b;
}

/** `env=dev, team=a`: a label selector (or a label set) as `kubectl` users write it. */
export function formatLabels(labels: Record<string, string>): string {
  return Object.entries(labels)
    .map(([k, v]) => `${k}=${v}`)
    .join(', ');
}

/** The selectors of a Work's workload group (all groups' when the group is not known). */
export function selectorsOf(work: KratixWorkView, groupId?: string): string[] {
  const groups = work.workloadGroups.filter(
    g => groupId === undefined || g.id === groupId,
  );
  const chosen = groups.length ? groups : work.workloadGroups;
  const out = chosen
    .flatMap(g => g.destinationSelectors)
    .map(s => formatLabels(s.matchLabels))
    .filter(Boolean);
  return [...new Set(out)];
}

const quoteSelectors = (selectors: string[]) =>
  selectors.length ? selectors.join(' or ') : 'any Destination';

/** Why a placement is not placed, from its conditions: the first False one, else Ready, else any message. */
function conditionWhy(conditions: KratixCondition[]): string | undefined {
  const failed = conditions.find(c => c.status === 'False' && c.message);
  if (failed) return failed.message;
  const ready = conditions.find(c => c.type === 'Ready' && c.message);
  if (ready && !/^(ready|pending|failing|misplaced)$/i.test(ready.message!)) {
    return ready.message;
  }
  return conditions.find(c => c.status !== 'True' && c.message)?.message;
}

export interface WorkProblem {
  work: string;
  state: KratixWorkState;
  destination?: string;
  /** The whole sentence, naming the Work and, when there is one, the Destination. */
  text: string;
}

function placementProblem(
  work: KratixWorkView,
  placement: KratixWorkPlacementView,
): WorkProblem | undefined {
  const state = placementState(placement);
  const destination = placement.destination.name;
  if (state === 'misplaced') {
    const selectors = selectorsOf(work, placement.workloadGroupId);
    const labels = formatLabels(placement.destination.labels);
    return {
      work: work.name,
      state: 'misplaced',
      destination,
      text: `Work ${
        work.name
      } is misplaced: Destination ${destination}'s labels${
        labels ? ` (${labels})` : ''
      } no longer match selector ${quoteSelectors(
        selectors,
      )}. Kratix stopped writing to it.`,
    };
  }
  if (state === 'failing') {
    const why =
      conditionWhy(placement.conditions) ?? work.message ?? 'no reason given';
    return {
      work: work.name,
      state: 'failing',
      destination,
      text: `Work ${work.name} is failing on Destination ${destination}: ${why}`,
    };
  }
  if (state === 'pending') {
    const why = conditionWhy(placement.conditions);
    return {
      work: work.name,
      state: 'pending',
      destination,
      text: `Work ${work.name} is pending on Destination ${destination}${
        placement.destination.found ? '' : ' (the Destination no longer exists)'
      }${why ? `: ${why}` : '.'}`,
    };
  }
  return undefined;
}

/** What is wrong with each Work that is not ready, one sentence per placement at fault. */
export function workProblems(works: KratixWorkView[]): WorkProblem[] {
  const problems: WorkProblem[] = [];
  for (const work of works) {
    const fromPlacements = work.placements
      .map(p => placementProblem(work, p))
      .filter((p): p is WorkProblem => p !== undefined);
    problems.push(...fromPlacements);
    if (work.state === 'ready' || fromPlacements.length) continue;
    if (work.placements.length === 0) {
      problems.push({
        work: work.name,
        state: work.state,
        text:
          work.state === 'pending'
            ? `Work ${
                work.name
              } is pending: no Destination matches selector ${quoteSelectors(
                selectorsOf(work),
              )}.`
            : `Work ${work.name} is ${work.state}${
                work.message ? `: ${work.message}` : '.'
              }`,
      });
    } else {
      problems.push({
        work: work.name,
        state: work.state,
        text: `Work ${work.name} is ${work.state}${
          conditionWhy(work.conditions)
            ? `: ${conditionWhy(work.conditions)}`
            : '.'
        }`,
      });
    }
  }
  return problems;
}

/** `[w1,w2]` or `[w1 w2]` at the end of Kratix's WorksSucceeded message: the Works it names. */
export function worksNamedIn(message?: string): string[] {
  const match = message?.match(/\[([^\]]*)\]\s*$/);
  if (!match) return [];
  return match[1]
    .split(/[\s,]+/)
    .map(s => s.trim())
    .filter(Boolean);
}

export interface WorksAlert {
  severity: 'error' | 'warning' | 'info';
  title: string;
  condition?: KratixCondition;
  problems: WorkProblem[];
  /** Works the condition names that the backend sent nothing about. */
  unexplained: string[];
}

/**
 * The alert to show, or none: when `WorksSucceeded` is present and not True, or (on a Kratix without
 * that condition) when a Work is not ready.
 */
export function worksAlert(
  resource: Pick<KratixResourceView, 'conditions'>,
  works: KratixWorkView[],
): WorksAlert | undefined {
  const condition = resource.conditions.find(
    c => c.type === CONDITION.worksSucceeded,
  );
  const problems = workProblems(works);
  if (condition?.status === 'True') return undefined;
  if (!condition && problems.length === 0) return undefined;

  const named = worksNamedIn(condition?.message);
  const unexplained = named.filter(n => !problems.some(p => p.work === n));
  const reason = condition?.reason ?? '';
  let severity: WorksAlert['severity'] = 'info';
  if (/misplaced/i.test(reason)) severity = 'warning';
  if (/fail/i.test(reason) || problems.some(p => p.state === 'failing')) {
    severity = 'error';
  } else if (problems.some(p => p.state === 'misplaced')) {
    severity = 'warning';
  }
  // From Kratix's reason; without the condition, from the worst Work.
  const worst = (['failing', 'misplaced'] as const).find(state =>
    problems.some(p => p.state === state),
  );
  let title: string;
  if (/misplaced/i.test(reason)) title = 'Some Works are misplaced';
  else if (/fail/i.test(reason)) title = 'Some Works are failing';
  else if (condition?.status === 'Unknown' || /pending/i.test(reason)) {
    title = 'Some Works are not ready yet';
  } else if (!condition && worst) title = `Some Works are ${worst}`;
  else title = 'Some Works are not ready';
  return { severity, title, condition, problems, unexplained };
}

/** Node data for the graph; `id` is the graph's. */
export interface LandedNode {
  id: string;
  kind: 'resource' | 'work' | 'destination' | 'unplaced';
  /** The name shown big and used in the accessible name. */
  name: string;
  /** Small lines under the name. */
  lines: string[];
  state?: PlacementEdgeState;
}

export interface LandedEdge {
  from: string;
  to: string;
  label?: string;
  kind: 'wrote' | 'placement';
  state?: PlacementEdgeState;
}

export const workNodeId = (w: KratixWorkView) =>
  `work:${w.namespace}/${w.name}`;
export const destinationNodeId = (name: string) => `destination:${name}`;

/** Resource → Works (labelled by pipeline) → Destinations (labelled by placement state). */
export function buildLandedGraph(
  resource: Pick<KratixResourceView, 'kind' | 'namespace' | 'name'>,
  works: KratixWorkView[],
): { nodes: LandedNode[]; edges: LandedEdge[] } {
  const nodes = new Map<string, LandedNode>();
  const edges = new Map<string, LandedEdge>();
  nodes.set('resource', {
    id: 'resource',
    kind: 'resource',
    name: resource.name,
    lines: [`${resource.kind} in ${resource.namespace}`],
  });
  for (const work of works) {
    const workId = workNodeId(work);
    nodes.set(workId, {
      id: workId,
      kind: 'work',
      name: work.name,
      lines: [
        ...(work.pipeline ? [`pipeline ${work.pipeline}`] : []),
        `state ${work.state}`,
      ],
      state: EDGE_STATE_FOR[work.state],
    });
    edges.set(`resource>${workId}`, {
      from: 'resource',
      to: workId,
      label: work.pipeline,
      kind: 'wrote',
    });
    for (const placement of work.placements) {
      const d = placement.destination;
      const destId = destinationNodeId(d.name);
      const state = placementState(placement);
      const existing = nodes.get(destId);
      nodes.set(destId, {
        id: destId,
        kind: 'destination',
        name: d.name,
        lines: [
          ...(d.found ? [] : ['not found']),
          ...(d.stateStore
            ? [`${d.stateStore.kind} ${d.stateStore.name}`]
            : []),
          ...(d.path ? [`path ${d.path}`] : []),
          ...(Object.keys(d.labels).length ? [formatLabels(d.labels)] : []),
        ],
        state: existing?.state ? worse(existing.state, state) : state,
      });
      const key = `${workId}>${destId}`;
      const previous = edges.get(key);
      const edgeState = previous?.state ? worse(previous.state, state) : state;
      edges.set(key, {
        from: workId,
        to: destId,
        label: edgeState,
        kind: 'placement',
        state: edgeState,
      });
    }
    if (work.placements.length === 0) {
      const id = `unplaced:${work.namespace}/${work.name}`;
      const selectors = selectorsOf(work);
      nodes.set(id, {
        id,
        kind: 'unplaced',
        name: 'No Destination',
        lines: [
          selectors.length ? `matches ${selectors.join(' or ')}` : 'matches',
        ],
        state: 'pending',
      });
      edges.set(`${workId}>${id}`, {
        from: workId,
        to: id,
        label: EDGE_STATE_FOR[work.state],
        kind: 'placement',
        state: EDGE_STATE_FOR[work.state],
      });
    }
  }
  return { nodes: [...nodes.values()], edges: [...edges.values()] };
}
