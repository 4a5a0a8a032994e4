import {
  StatusAborted,
  StatusOK,
  StatusPending,
  StatusWarning,
} from '@backstage/core-components';
import type { KratixRequestState } from '@kratix-backstage/plugin-kratix-common';
import { REQUEST_STATE_LABEL } from '../../utils/requests';

// Stale waits too long: a warning. Closed is a decision someone made (the pull request was
// closed unmerged): done, not an error.
const STATUS_COMPONENT = {
  pending: StatusPending,
  stale: StatusWarning,
  closed: StatusAborted,
  superseded: StatusAborted,
  applied: StatusOK,
} as const;

/** A delivered request's state as a Backstage status icon and a word (Pending, Stale, Closed). */
export function RequestStateChip(props: { state: KratixRequestState }) {
  const Status = STATUS_COMPONENT[props.state] ?? StatusAborted;
  return (
    <span
      data-testid="kratix-request-state"
      data-state={props.state}
      style={{ whiteSpace: 'nowrap' }}
    >
      <Status>{REQUEST_STATE_LABEL[props.state] ?? props.state}</Status>
    </span>
  );
}
