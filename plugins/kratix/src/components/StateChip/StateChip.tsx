import {
  StatusAborted,
  StatusError,
  StatusOK,
  StatusPending,
  StatusWarning,
} from '@backstage/core-components';
import type { KratixResourceState } from '@kratix-backstage/plugin-kratix-common';
import { STATE_LABEL } from '../../utils/state';

const STATUS_COMPONENT = {
  ready: StatusOK,
  'in-progress': StatusPending,
  failed: StatusError,
  paused: StatusWarning,
  blocked: StatusWarning,
  deleting: StatusAborted,
  unknown: StatusAborted,
} as const;

/** The Resource's state as a Backstage status icon and a word (Ready, In progress, …). */
export function StateChip(props: { state: KratixResourceState }) {
  const Status = STATUS_COMPONENT[props.state] ?? StatusAborted;
  return (
    <span
      data-testid="kratix-state"
      data-state={props.state}
      style={{ whiteSpace: 'nowrap' }}
    >
      <Status>{STATE_LABEL[props.state] ?? props.state}</Status>
    </span>
  );
}
