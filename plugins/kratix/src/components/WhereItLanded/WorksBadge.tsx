import {
  StatusError,
  StatusPending,
  StatusWarning,
} from '@backstage/core-components';
import { Tooltip } from '@material-ui/core';
import type {
  KratixWorkState,
  KratixWorkSummary,
} from '@kratix-backstage/plugin-kratix-common';

const WORST_FIRST: KratixWorkState[] = ['failing', 'misplaced', 'pending'];

/**
 * A row's word on where its Works landed, only when one is not ready (a Resource can be Ready on
 * Kratix before WorksSucceeded existed while its Work is misplaced); each Work in the tooltip.
 */
export function WorksBadge(props: { works?: KratixWorkSummary[] }) {
  const { works = [] } = props;
  const worst = WORST_FIRST.find(state => works.some(w => w.state === state));
  if (!worst) return null;
  const count = works.filter(w => w.state === worst).length;
  const label = `${count} Work${count === 1 ? '' : 's'} ${worst}`;
  const detail = works
    .map(
      w =>
        `${w.name}: ${w.state}${
          w.placements.length
            ? ` (${w.placements
                .map(p => `${p.destination} ${p.state}`)
                .join(', ')})`
            : ''
        }`,
    )
    .join('; ');
  let Status = StatusPending;
  if (worst === 'failing') Status = StatusError;
  else if (worst === 'misplaced') Status = StatusWarning;
  return (
    <Tooltip title={detail}>
      <span
        data-testid="kratix-works-badge"
        data-state={worst}
        style={{ whiteSpace: 'nowrap' }}
      >
        <Status>{label}</Status>
      </span>
    </Tooltip>
  );
}
