export { HealthBadge, HealthStatus } from './HealthBadge';
export { HealthSection } from './HealthSection';
