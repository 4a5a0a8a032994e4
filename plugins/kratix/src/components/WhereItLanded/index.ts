export { WhereItLanded } from './WhereItLanded';
export { LANDED_GRAPH_LABEL } from './LandedGraph';
export { WorksBadge } from './WorksBadge';
