import { useMemo, useState } from 'react';
import {
  CodeSnippet,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import {
  Button,
  Dialog,
  DialogActions,
  DialogContent,
  DialogTitle,
} from '@material-ui/core';
import DescriptionIcon from '@material-ui/icons/Description';
import { stringify } from 'yaml';
import type { KratixResourceObject } from '@kratix-backstage/plugin-kratix-common';

/** The Resource exactly as the cluster stores it, as YAML in a dialog, with a copy button. */
export function RawYaml(props: {
  title: string;
  object?: KratixResourceObject;
  loading?: boolean;
  error?: Error;
}) {
  const { title, object, loading, error } = props;
  const [open, setOpen] = useState(false);
  const text = useMemo(
    () => (object && open ? stringify(object, { lineWidth: 0 }) : ''),
    [object, open],
  );
  return (
    <>
      <Button
        size="small"
        variant="outlined"
        startIcon={<DescriptionIcon />}
        onClick={() => setOpen(true)}
      >
        YAML
      </Button>
      <Dialog
        open={open}
        onClose={() => setOpen(false)}
        maxWidth="md"
        fullWidth
      >
        <DialogTitle>{title}</DialogTitle>
        <DialogContent dividers>
          {object && (
            <CodeSnippet
              text={text}
              language="yaml"
              showCopyCodeButton
              wrapLongLines
            />
          )}
          {!object && loading && <Progress />}
          {!object && !loading && error && <ResponseErrorPanel error={error} />}
        </DialogContent>
        <DialogActions>
          <Button onClick={() => setOpen(false)}>Close</Button>
        </DialogActions>
      </Dialog>
    </>
  );
}
