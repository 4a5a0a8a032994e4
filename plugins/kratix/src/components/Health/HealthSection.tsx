import { InfoCard } from '@backstage/core-components';
import { Box, Typography } from '@material-ui/core';
import type { KratixResourceHealth } from '@kratix-backstage/plugin-kratix-common';
import { ExtraStatusTable } from '../ExtraStatusTable';
import { HealthStatus } from './HealthBadge';
import { formatAgo, formatTimestamp } from '../../utils/time';

/** Kratix's health checks of the Resource: overall state, then each record with its details. */
export function HealthSection(props: {
  health: KratixResourceHealth;
  now: number;
}) {
  const { health, now } = props;
  return (
    <InfoCard title="Health">
      <div data-testid="kratix-health-section">
        <Box display="flex" alignItems="center" style={{ gap: 16 }}>
          <HealthStatus state={health.state} />
          {health.lastRun && (
            <Typography
              variant="body2"
              color="textSecondary"
              title={formatTimestamp(health.lastRun)}
            >
              last check {formatAgo(health.lastRun, now)}
            </Typography>
          )}
        </Box>
        {health.records.map((record, index) => (
          <Box key={index} mt={2}>
            <Typography variant="subtitle2" component="p">
              {record.source ?? `Check ${index + 1}`}: {record.state}
              {record.lastRun ? ` · ${formatAgo(record.lastRun, now)}` : ''}
            </Typography>
            {record.details !== undefined && (
              <ExtraStatusTable
                status={
                  typeof record.details === 'object' &&
                  record.details !== null &&
                  !Array.isArray(record.details)
                    ? (record.details as Record<string, unknown>)
                    : { details: record.details }
                }
              />
            )}
          </Box>
        ))}
      </div>
    </InfoCard>
  );
}
