import { useEffect, useRef, useState } from 'react';
import { Progress, WarningPanel } from '@backstage/core-components';
import {
  Box,
  Button,
  Dialog,
  DialogActions,
  DialogContent,
  DialogTitle,
  Tab,
  Tabs,
  TextField,
  Typography,
} from '@material-ui/core';
import { withTheme } from '@rjsf/core';
import { Theme } from '@rjsf/material-ui';
import type { RJSFSchema } from '@rjsf/utils';
import validator from '@rjsf/validator-ajv8';
import { ResponseError } from '@backstage/errors';
import { parse, stringify } from 'yaml';
import type { FormSchema } from '@kratix-backstage/plugin-kratix-common';
import { errorMessage } from '../../utils/errors';
import { humanErrors } from './humanErrors';

const Form = withTheme(Theme);

type Spec = Record<string, unknown>;

const isRecord = (value: unknown): value is Spec =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

function statusOf(error: Error): number | undefined {
  return ResponseError.is(error) ? error.statusCode : undefined;
}

/**
 * Edits a Resource's spec: a form from the Promise's schema (converted as the generated software
 * templates are, so a field is the same control in both), or the spec as YAML. Saving
 * sends the resourceVersion the editor opened on, so a change made meanwhile is refused (409) rather
 * than overwritten; the conflict is said plainly and the latest spec can be loaded.
 */
export function SpecEditorDialog(props: {
  open: boolean;
  title: string;
  spec: Spec;
  resourceVersion?: string;
  /** The spec's form schema (kratix-common's specFormSchema); YAML only when undefined. */
  schema?: FormSchema;
  schemaLoading?: boolean;
  /** What saving does in the Resource's state (paused, blocked), said above the form. */
  note?: string;
  schemaError?: Error;
  saving?: boolean;
  onSave: (spec: Spec, resourceVersion: string) => Promise<Error | undefined>;
  onReloadLatest: () => void;
  onClose: () => void;
}) {
  const { open, title, spec, resourceVersion, schema } = props;
  const [view, setView] = useState<'form' | 'yaml'>('form');
  const [data, setData] = useState<Spec>(spec);
  const [yamlText, setYamlText] = useState('');
  const [yamlError, setYamlError] = useState<string>();
  const [error, setError] = useState<Error>();
  // The version the user's edit is based on: taken when the editor opens or reloads, not live.
  const [baseVersion, setBaseVersion] = useState(resourceVersion);
  const formRef = useRef<any>(null);

  const [awaitingLatest, setAwaitingLatest] = useState(false);

  const reset = () => {
    setData(spec);
    setYamlText(stringify(spec, { lineWidth: 0 }));
    setBaseVersion(resourceVersion);
    setYamlError(undefined);
    setError(undefined);
  };

  // Reset when the editor opens, and when the latest version the user asked for arrives; never on
  // a live update while the user is typing.
  useEffect(() => {
    if (open) reset();
    setAwaitingLatest(false);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [open]);
  useEffect(() => {
    if (awaitingLatest && resourceVersion !== baseVersion) {
      reset();
      setAwaitingLatest(false);
    }
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [awaitingLatest, resourceVersion]);

  const formSchema = schema as RJSFSchema | undefined;
  const activeView = formSchema ? view : 'yaml';

  const fromYaml = (): Spec | undefined => {
    try {
      const parsed = parse(yamlText) ?? {};
      if (!isRecord(parsed)) throw new Error('The spec must be a mapping');
      setYamlError(undefined);
      return parsed;
    } catch (e) {
      setYamlError(`Not valid YAML: ${(e as Error).message}`);
      return undefined;
    }
  };

  const switchTo = (next: 'form' | 'yaml') => {
    if (next === view) return;
    if (next === 'yaml') {
      setYamlText(stringify(data, { lineWidth: 0 }));
    } else {
      const parsed = fromYaml();
      if (!parsed) return;
      setData(parsed);
    }
    setView(next);
  };

  const save = async () => {
    let next: Spec | undefined = data;
    if (activeView === 'yaml') next = fromYaml();
    else if (formRef.current && !formRef.current.validateForm()) return;
    if (!next || !baseVersion) return;
    setError(await props.onSave(next, baseVersion));
  };

  const status = error ? statusOf(error) : undefined;

  return (
    <Dialog
      open={open}
      onClose={props.onClose}
      maxWidth="md"
      fullWidth
      aria-labelledby="kratix-spec-editor"
    >
      <DialogTitle id="kratix-spec-editor">{title}</DialogTitle>
      <DialogContent dividers data-testid="kratix-spec-editor">
        {status === 409 && (
          <WarningPanel
            severity="error"
            defaultExpanded
            title="Someone changed this Resource since you opened the editor"
            message={
              <>
                Your change was not saved, so nothing was overwritten. Load the
                latest spec and apply your change again.
                <Box mt={1}>
                  <Button
                    size="small"
                    variant="outlined"
                    onClick={() => {
                      setAwaitingLatest(true);
                      props.onReloadLatest();
                    }}
                  >
                    Load the latest spec
                  </Button>
                </Box>
              </>
            }
          />
        )}
        {error && status !== 409 && (
          <WarningPanel
            severity="error"
            defaultExpanded
            title={
              status === 400
                ? 'The platform refused this spec'
                : 'The spec could not be saved'
            }
            message={errorMessage(error)}
          />
        )}
        {props.note && (
          <Box mb={2}>
            <Typography
              variant="body2"
              color="textSecondary"
              data-testid="kratix-spec-editor-note"
            >
              {props.note}
            </Typography>
          </Box>
        )}
        {props.schemaLoading && <Progress />}
        {props.schemaError && (
          <Typography variant="body2" color="textSecondary">
            The Promise’s schema could not be loaded (
            {props.schemaError.message}); edit the spec as YAML.
          </Typography>
        )}
        {!props.schemaLoading && !formSchema && !props.schemaError && (
          <Typography variant="body2" color="textSecondary">
            The Promise publishes no schema for its spec; edit it as YAML.
          </Typography>
        )}
        {formSchema && (
          <Tabs
            value={activeView}
            onChange={(_, next) => switchTo(next)}
            indicatorColor="primary"
          >
            <Tab value="form" label="Form" />
            <Tab value="yaml" label="YAML" />
          </Tabs>
        )}
        <Box mt={2}>
          {activeView === 'form' && formSchema ? (
            <Form
              ref={formRef}
              schema={formSchema}
              formData={data}
              validator={validator}
              onChange={event => setData(event.formData ?? {})}
              uiSchema={{ 'ui:submitButtonOptions': { norender: true } }}
              showErrorList={false}
              transformErrors={humanErrors}
              noHtml5Validate
            />
          ) : (
            <TextField
              id="kratix-spec-yaml"
              label="spec (YAML)"
              multiline
              fullWidth
              variant="outlined"
              minRows={8}
              value={yamlText}
              onChange={event => setYamlText(event.target.value)}
              error={!!yamlError}
              helperText={yamlError}
              inputProps={{ style: { fontFamily: 'monospace' } }}
            />
          )}
        </Box>
      </DialogContent>
      <DialogActions>
        <Typography variant="caption" color="textSecondary">
          {baseVersion ? `Based on version ${baseVersion}` : 'Loading…'}
        </Typography>
        <Button onClick={props.onClose}>Cancel</Button>
        <Button
          color="primary"
          variant="contained"
          onClick={save}
          disabled={props.saving || !baseVersion}
        >
          Save
        </Button>
      </DialogActions>
    </Dialog>
  );
}
