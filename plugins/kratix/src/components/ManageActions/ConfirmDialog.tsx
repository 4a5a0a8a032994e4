import { useEffect, useState, type ReactNode } from 'react';
import {
  Button,
  Dialog,
  DialogActions,
  DialogContent,
  DialogContentText,
  DialogTitle,
  TextField,
} from '@material-ui/core';

/**
 * Asks before an action that starts, stops or removes work; the confirm button names the action.
 * With `typeToConfirm`, the confirm button stays disabled until that text is typed (for what
 * cannot be undone).
 */
export function ConfirmDialog(props: {
  open: boolean;
  title: string;
  children: ReactNode;
  confirmLabel: string;
  danger?: boolean;
  typeToConfirm?: string;
  onConfirm: () => void;
  onCancel: () => void;
}) {
  const {
    open,
    title,
    children,
    confirmLabel,
    danger,
    typeToConfirm,
    onConfirm,
    onCancel,
  } = props;
  const [typed, setTyped] = useState('');
  // Every opening starts empty: a name typed before does not confirm again.
  useEffect(() => {
    if (open) setTyped('');
  }, [open]);
  const confirmed = typeToConfirm === undefined || typed === typeToConfirm;
  const id = `kratix-confirm-${confirmLabel.replace(/\W+/g, '-')}`;
  return (
    <Dialog open={open} onClose={onCancel} aria-labelledby={id}>
      <DialogTitle id={id}>{title}</DialogTitle>
      <DialogContent>
        <DialogContentText component="div">{children}</DialogContentText>
        {typeToConfirm !== undefined && (
          <TextField
            id={`${id}-typed`}
            fullWidth
            variant="outlined"
            size="small"
            label={`Type ${typeToConfirm} to confirm`}
            value={typed}
            onChange={event => setTyped(event.target.value)}
            onKeyDown={event => {
              if (event.key === 'Enter' && confirmed) onConfirm();
            }}
            inputProps={{ autoComplete: 'off', spellCheck: false }}
          />
        )}
      </DialogContent>
      <DialogActions>
        <Button onClick={onCancel}>Cancel</Button>
        <Button
          onClick={onConfirm}
          color={danger ? 'secondary' : 'primary'}
          variant="contained"
          disabled={!confirmed}
        >
          {confirmLabel}
        </Button>
      </DialogActions>
    </Dialog>
  );
}
