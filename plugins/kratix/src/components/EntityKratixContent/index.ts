export {
  EntityKratixContent,
  EntityKratixContentView,
} from './EntityKratixContent';
