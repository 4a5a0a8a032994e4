/* The field's validation: the form does not go on with a malformed or taken name, or an Unavailable Promise. */
import type { CustomFieldValidator } from '@backstage/plugin-scaffolder-react';
import { kratixApiRef } from '../../api/KratixApi';
import {
  checkResourceName,
  type KratixResourceNameFieldOptions,
} from './checkName';

/** @public */
export const resourceNameFieldValidation: CustomFieldValidator<
  string,
  KratixResourceNameFieldOptions
> = async (value, field, { apiHolder, formData, uiSchema }) => {
  const api = apiHolder.get(kratixApiRef);
  if (!api) return;
  const result = await checkResourceName(
    api,
    value ?? '',
    uiSchema?.['ui:options'],
    formData,
  );
  if (!result.ok) field.addError(result.message);
};
