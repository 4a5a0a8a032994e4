/*
 * The name of a Kratix Resource in a template: states the naming rule once, in words; says what is
 * wrong as the user types (form) and leaves the field (taken name, Unavailable Promise). The same
 * checks run as the field's validation when the user moves on, so the form cannot go on with them.
 */
import { useApi } from '@backstage/core-plugin-api';
import type { FieldExtensionComponentProps } from '@backstage/plugin-scaffolder-react';
import TextField from '@material-ui/core/TextField';
import { useEffect, useState } from 'react';
import { kratixApiRef } from '../../api/KratixApi';
import { unavailableMessage } from './availability';
import {
  checkResourceName,
  type KratixResourceNameFieldOptions,
} from './checkName';
import { RESOURCE_NAME_RULE, nameFormatProblem } from './nameRule';

/**
 * Props of {@link ResourceNameField}.
 *
 * @public
 */
export type ResourceNameFieldProps = FieldExtensionComponentProps<
  string,
  KratixResourceNameFieldOptions
>;

/** @public */
export const ResourceNameField = (props: ResourceNameFieldProps) => {
  const {
    onChange,
    required,
    schema: { title = 'Name', description },
    rawErrors = [],
    formData,
    uiSchema,
    idSchema,
    formContext,
    disabled,
  } = props;
  const options = uiSchema?.['ui:options'];
  const api = useApi(kratixApiRef);
  const value = formData ?? '';
  const [unavailable, setUnavailable] = useState<string>();
  const [taken, setTaken] = useState<{ name: string; message: string }>();

  const promise = options?.promise;
  const cluster = options?.cluster;
  useEffect(() => {
    if (!promise) return undefined;
    let live = true;
    api.getPromises().then(
      ({ items }) => {
        if (live)
          setUnavailable(unavailableMessage(items, { promise, cluster }));
      },
      () => undefined,
    );
    return () => {
      live = false;
    };
  }, [api, promise, cluster]);

  const checkOnLeave = async () => {
    if (!value || nameFormatProblem(value)) return;
    const result = await checkResourceName(
      api,
      value,
      options,
      (formContext?.formData ?? {}) as Record<string, unknown>,
    );
    setTaken(result.ok ? undefined : { name: value, message: result.message });
  };

  // One message at a time: once the form reports errors itself (on Next), it shows them.
  const problem =
    unavailable ??
    nameFormatProblem(value) ??
    (taken?.name === value ? taken.message : undefined);
  const helperText = rawErrors.length
    ? undefined
    : problem ??
      [description, `${RESOURCE_NAME_RULE}.`].filter(Boolean).join('. ');

  return (
    <TextField
      id={idSchema?.$id}
      label={title}
      required={required}
      disabled={disabled}
      value={value}
      onChange={e =>
        onChange(e.target.value === '' ? undefined : e.target.value)
      }
      onBlur={checkOnLeave}
      error={rawErrors.length > 0 || Boolean(problem)}
      helperText={helperText}
      margin="normal"
      inputProps={{
        autoFocus: uiSchema?.['ui:autofocus'],
        'aria-describedby': `${idSchema?.$id}-helper-text`,
      }}
      FormHelperTextProps={{
        role: problem ? 'alert' : undefined,
        style: { marginLeft: 0 },
      }}
    />
  );
};
