import type { ReactElement } from 'react';
import { Box, Button, Tooltip, Typography } from '@material-ui/core';
import DeleteIcon from '@material-ui/icons/Delete';
import EditIcon from '@material-ui/icons/Edit';
import PauseIcon from '@material-ui/icons/Pause';
import PlayArrowIcon from '@material-ui/icons/PlayArrow';
import ReplayIcon from '@material-ui/icons/Replay';
import type {
  KratixManageAction,
  KratixResourceView,
} from '@kratix-backstage/plugin-kratix-common';
import type { ManagePermissions } from '../../hooks/useManagePermissions';
import { unavailableReason, type ManageButton } from './availability';

/**
 * One manage button: disabled while `why` says it may not be used (shown as its tooltip: a
 * disabled button cannot show one itself, the span around it can) or while an action runs.
 */
function ActionButton(props: {
  label: string;
  icon: ReactElement;
  why?: string;
  busy: boolean;
  onClick: () => void;
  color?: 'secondary';
}) {
  const button = (
    <Button
      size="small"
      variant="outlined"
      color={props.color}
      startIcon={props.icon}
      disabled={!!props.why || props.busy}
      onClick={props.onClick}
    >
      {props.label}
    </Button>
  );
  if (!props.why) return button;
  return (
    <Tooltip title={props.why}>
      <span>{button}</span>
    </Tooltip>
  );
}

/** Why a button is disabled: permissions still loading, denied, or the Resource's own state. */
function whyNot(
  permission: ManagePermissions['update'],
  denied: string,
  stateReason: string | undefined,
): string | undefined {
  if (permission.loading) return 'Checking your permissions…';
  if (!permission.allowed) return denied;
  return stateReason;
}

/**
 * The manage buttons of a Resource. A button the user may not use is disabled and says why (the
 * policy's answer), rather than disappearing: knowing the action exists tells whom to ask. So does
 * one that cannot apply in the Resource's state (re-run while paused or blocked).
 */
export function ManageActions(props: {
  resource: KratixResourceView;
  entityRef: string;
  permissions: ManagePermissions;
  pending?: KratixManageAction;
  onReconcile: () => void;
  onPause: () => void;
  onResume: () => void;
  onEdit: () => void;
  onDelete: () => void;
}) {
  const { resource, entityRef, permissions, pending } = props;
  const busy = pending !== undefined;
  const updateDenied = `You may not change Resources of ${entityRef} (permission kratix.resource.update)`;
  const why = (action: ManageButton) =>
    whyNot(
      action === 'delete' ? permissions.delete : permissions.update,
      action === 'delete'
        ? `You may not delete Resources of ${entityRef} (permission kratix.resource.delete)`
        : updateDenied,
      unavailableReason(action, resource),
    );
  const denied = [
    !permissions.update.loading && !permissions.update.allowed
      ? 're-run, pause, resume or edit'
      : undefined,
    !permissions.delete.loading && !permissions.delete.allowed
      ? 'delete'
      : undefined,
  ].filter(Boolean);

  return (
    <Box data-testid="kratix-manage">
      <Box display="flex" flexWrap="wrap" style={{ gap: 8 }}>
        <ActionButton
          label="Re-run workflow"
          icon={<ReplayIcon />}
          why={why('reconcile')}
          busy={busy}
          onClick={props.onReconcile}
        />
        {resource.paused ? (
          <ActionButton
            label="Resume"
            icon={<PlayArrowIcon />}
            why={why('resume')}
            busy={busy}
            onClick={props.onResume}
          />
        ) : (
          <ActionButton
            label="Pause"
            icon={<PauseIcon />}
            why={why('pause')}
            busy={busy}
            onClick={props.onPause}
          />
        )}
        <ActionButton
          label="Edit spec"
          icon={<EditIcon />}
          why={why('edit')}
          busy={busy}
          onClick={props.onEdit}
        />
        <ActionButton
          label="Delete"
          icon={<DeleteIcon />}
          color="secondary"
          why={why('delete')}
          busy={busy}
          onClick={props.onDelete}
        />
      </Box>
      {denied.length > 0 && (
        <Typography
          variant="caption"
          color="textSecondary"
          component="p"
          data-testid="kratix-manage-denied"
        >
          The permission policy does not let you {denied.join(' or ')} the
          Resources of {entityRef}; ask its owners or the platform team.
        </Typography>
      )}
    </Box>
  );
}
