export { Timeline } from './Timeline';
export { buildTimeline, deriveTimeline, lastRunDuration } from './model';
export type { TimelineLane, TimelineItem, TimelineModel, Tone } from './model';
