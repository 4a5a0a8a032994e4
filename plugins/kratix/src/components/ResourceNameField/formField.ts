/* The field for the new frontend system (FormFieldBlueprint loads it). */
import { createFormField } from '@backstage/plugin-scaffolder-react/alpha';
import { ResourceNameField } from './ResourceNameField';
import { KratixResourceNameFieldSchema, RESOURCE_NAME_FIELD } from './schema';
import { resourceNameFieldValidation } from './validation';

export const kratixResourceNameFormField = createFormField({
  name: RESOURCE_NAME_FIELD,
  component: ResourceNameField,
  validation: resourceNameFieldValidation,
  schema: KratixResourceNameFieldSchema,
});
