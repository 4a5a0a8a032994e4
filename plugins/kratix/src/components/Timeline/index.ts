export { Timeline } from './Timeline';
export { layoutTimelineChart, deriveTimeline, lastRunDuration } from './model';
export type { TimelineLane, TimelineItem, TimelineModel, Tone } from './model';
