export {
  EntityKratixContent,
  EntityKratixContentView,
} from './EntityKratixContent';
export type { EntityKratixContentProps } from './EntityKratixContent';
