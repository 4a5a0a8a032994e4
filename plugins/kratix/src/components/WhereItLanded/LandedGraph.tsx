import { useMemo } from 'react';
import {
  DependencyGraph,
  DependencyGraphTypes,
} from '@backstage/core-components';
import { useTheme, type Theme } from '@material-ui/core';
import type {
  KratixResourceView,
  KratixWorkView,
} from '@kratix-backstage/plugin-kratix-common';
import {
  buildLandedGraph,
  type LandedEdge,
  type LandedNode,
  type PlacementEdgeState,
} from './model';

/** The accessible name of the graph (a browser test finds it by this). */
export const LANDED_GRAPH_LABEL = 'Where it landed';

const PAD = 10;
const LINE = 15;
const NAME_LINE = 18;
const MAX_CHARS = 56;

const KIND_TITLE: Record<LandedNode['kind'], string> = {
  resource: 'Resource',
  work: 'Work',
  destination: 'Destination',
  unplaced: 'Destination',
};

export function stateColor(
  theme: Theme,
  state: PlacementEdgeState | undefined,
): string {
  switch (state) {
    case 'placed':
      return theme.palette.success?.main ?? '#2e7d32';
    case 'misplaced':
      return theme.palette.warning?.main ?? '#ed6c02';
    case 'failing':
      return theme.palette.error.main;
    case 'pending':
      return theme.palette.grey[500];
    default:
      return theme.palette.primary.main;
  }
}

/** A node's accessible name: `Destination dev-cluster`, `Work <name>`, `Resource <name>`. */
export const nodeLabel = (node: LandedNode) =>
  node.kind === 'unplaced'
    ? 'No matching Destination'
    : `${KIND_TITLE[node.kind]} ${node.name}`;

const clip = (s: string) =>
  s.length > MAX_CHARS ? `${s.slice(0, MAX_CHARS - 1)}…` : s;

/**
 * A node's box is sized from its text (about 7 px a character), so the layout does not depend on
 * measuring text: DependencyGraph measures the whole node (its rect) once rendered.
 */
function nodeSize(node: LandedNode) {
  const widest = Math.max(
    clip(node.name).length * 8,
    ...node.lines.map(l => clip(l).length * 6.6),
    KIND_TITLE[node.kind].length * 7,
  );
  return {
    width: Math.ceil(widest) + PAD * 2,
    height: PAD * 2 + LINE + NAME_LINE + node.lines.length * LINE,
  };
}

function NodeBox(props: { node: LandedNode }) {
  const { node } = props;
  const theme = useTheme();
  const { width, height } = nodeSize(node);
  const color = stateColor(theme, node.state);
  const kind = KIND_TITLE[node.kind];
  return (
    <g
      role="group"
      aria-label={nodeLabel(node)}
      data-testid="kratix-landed-node"
      data-kind={node.kind}
      data-name={node.name}
      data-state={node.state}
    >
      <title>{[nodeLabel(node), ...node.lines].join('\n')}</title>
      <rect
        width={width}
        height={height}
        rx={6}
        fill={theme.palette.background.paper}
        stroke={color}
        strokeWidth={node.kind === 'resource' ? 1.5 : 2.5}
        strokeDasharray={node.kind === 'unplaced' ? '6 4' : undefined}
      />
      <text
        x={PAD}
        y={PAD + 10}
        fontSize={11}
        fill={theme.palette.text.secondary}
        style={{ textTransform: 'uppercase', letterSpacing: 0.5 }}
      >
        {kind}
      </text>
      <text
        x={PAD}
        y={PAD + LINE + 13}
        fontSize={14}
        fontWeight={600}
        fill={theme.palette.text.primary}
      >
        {clip(node.name)}
      </text>
      {node.lines.map((line, i) => (
        <text
          key={i}
          x={PAD}
          y={PAD + LINE + NAME_LINE + 11 + i * LINE}
          fontSize={11}
          fill={theme.palette.text.secondary}
        >
          {clip(line)}
        </text>
      ))}
    </g>
  );
}

function EdgeLabel(props: {
  edge: LandedEdge;
  fromName?: string;
  toName?: string;
}) {
  const { edge, fromName, toName } = props;
  const theme = useTheme();
  const label = edge.label ?? '';
  if (edge.kind === 'wrote') {
    // On the paper colour, so the edge line does not run through the pipeline's name.
    const w = label.length * 5.8 + 6;
    return (
      <g data-testid="kratix-landed-pipeline">
        <rect
          x={-w / 2}
          y={-8}
          width={w}
          height={16}
          fill={theme.palette.background.paper}
        />
        <text
          textAnchor="middle"
          dominantBaseline="central"
          fontSize={11}
          fill={theme.palette.text.secondary}
        >
          {label}
        </text>
      </g>
    );
  }
  const width = label.length * 7 + 16;
  const height = 18;
  return (
    <g
      role="group"
      // Bare names (`<work> → dev-cluster: misplaced`), so a search for a node's name
      // (`Destination dev-cluster`) does not also find its edges.
      aria-label={`${fromName ?? edge.from} → ${toName ?? edge.to}: ${label}`}
      data-testid="kratix-landed-edge"
      data-state={edge.state}
      data-from={fromName}
      data-to={toName}
    >
      <rect
        x={-width / 2}
        y={-height / 2}
        width={width}
        height={height}
        rx={height / 2}
        fill={stateColor(theme, edge.state)}
      />
      <text
        textAnchor="middle"
        dominantBaseline="central"
        fontSize={11}
        fontWeight={600}
        fill={theme.palette.common.white}
      >
        {label}
      </text>
    </g>
  );
}

/** Resource → Works → Destinations with Backstage's DependencyGraph; placements labelled by state. */
export function LandedGraph(props: {
  resource: Pick<KratixResourceView, 'kind' | 'namespace' | 'name'>;
  works: KratixWorkView[];
}) {
  const { resource, works } = props;
  const { nodes, edges } = useMemo(
    () => buildLandedGraph(resource, works),
    [resource, works],
  );
  const names = useMemo(
    () =>
      new Map(
        nodes.map(n => [
          n.id,
          n.kind === 'unplaced' ? 'no matching Destination' : n.name,
        ]),
      ),
    [nodes],
  );
  return (
    <div
      role="figure"
      aria-label={LANDED_GRAPH_LABEL}
      data-testid="kratix-where-it-landed-graph"
    >
      <DependencyGraph<LandedNode, LandedEdge>
        // A new graph when it changes: DependencyGraph keeps a fresh graph hidden until its layout
        // settles, where an updated one would first draw its edge labels at the origin.
        key={JSON.stringify([nodes, edges])}
        nodes={nodes}
        edges={edges}
        direction={DependencyGraphTypes.Direction.LEFT_RIGHT}
        labelPosition={DependencyGraphTypes.LabelPosition.CENTER}
        rankMargin={60}
        nodeMargin={24}
        paddingX={8}
        paddingY={8}
        zoom="enable-on-click"
        fit="grow"
        renderNode={({ node }) => <NodeBox node={node} />}
        renderLabel={({ edge }) => (
          <EdgeLabel
            edge={edge}
            fromName={names.get(edge.from)}
            toName={names.get(edge.to)}
          />
        )}
      />
    </div>
  );
}
