import {
  StatusError,
  StatusOK,
  StatusPending,
  StatusWarning,
} from '@backstage/core-components';
import { Tooltip } from '@material-ui/core';
import type { KratixResourceHealth } from '@kratix-backstage/plugin-kratix-common';
import { formatTimestamp } from '../../utils/time';

/** Kratix's health states as Backstage status icons: healthy/ready good, degraded warns, unhealthy errs. */
export function HealthStatus(props: { state: string; label?: string }) {
  const { state, label = state } = props;
  const normalized = state.toLowerCase();
  if (normalized === 'healthy' || normalized === 'ready') {
    return <StatusOK>{label}</StatusOK>;
  }
  if (normalized === 'degraded') return <StatusWarning>{label}</StatusWarning>;
  if (normalized === 'unhealthy') return <StatusError>{label}</StatusError>;
  return <StatusPending>{label}</StatusPending>;
}

/** The Resource's health in a row: one word and an icon, the last check in the tooltip. */
export function HealthBadge(props: { health?: KratixResourceHealth }) {
  const { health } = props;
  if (!health) return null;
  return (
    <Tooltip
      title={`Health checks: ${health.state}${
        health.lastRun ? `, last run ${formatTimestamp(health.lastRun)}` : ''
      }`}
    >
      <span
        data-testid="kratix-health"
        data-health={health.state}
        style={{ whiteSpace: 'nowrap' }}
      >
        <HealthStatus state={health.state} label={`health: ${health.state}`} />
      </span>
    </Tooltip>
  );
}
