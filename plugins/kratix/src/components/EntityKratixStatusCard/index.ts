export {
  EntityKratixStatusCard,
  EntityKratixStatusCardView,
} from './EntityKratixStatusCard';
