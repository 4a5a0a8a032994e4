import {
  StatusAborted,
  StatusError,
  StatusOK,
  StatusPending,
  StatusWarning,
} from '@backstage/core-components';
import type { KratixCondition } from '@kratix-backstage/plugin-kratix-common';

/**
 * A condition's status as an icon. True is good for every Kratix condition type; False is an error
 * when the reason says something failed and "not yet" otherwise; Unknown is pending (or paused).
 */
export function ConditionStatus(props: {
  condition: Pick<KratixCondition, 'status' | 'reason'>;
}) {
  const { status, reason = '' } = props.condition;
  if (status === 'True') return <StatusOK>True</StatusOK>;
  if (/paus|suspend/i.test(reason)) {
    return <StatusWarning>{status}</StatusWarning>;
  }
  if (status === 'False') {
    return /fail|misplaced|notinstalled|notavailable/i.test(reason) ? (
      <StatusError>False</StatusError>
    ) : (
      <StatusPending>False</StatusPending>
    );
  }
  if (status === 'Unknown') return <StatusPending>Unknown</StatusPending>;
  return <StatusAborted>{status}</StatusAborted>;
}
