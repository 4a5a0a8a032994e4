/* The field for apps on the legacy frontend system: `<ScaffolderFieldExtensions><KratixResourceNameFieldExtension />`. */
import { createScaffolderFieldExtension } from '@backstage/plugin-scaffolder-react';
import { kratixPlugin } from '../../plugin';
import type { KratixResourceNameFieldOptions } from './checkName';
import { ResourceNameField } from './ResourceNameField';
import { KratixResourceNameFieldSchema, RESOURCE_NAME_FIELD } from './schema';
import { resourceNameFieldValidation } from './validation';

/**
 * `KratixResourceNameField` for the legacy frontend system's scaffolder.
 *
 * @public
 */
export const KratixResourceNameFieldExtension = kratixPlugin.provide(
  createScaffolderFieldExtension<string, KratixResourceNameFieldOptions>({
    name: RESOURCE_NAME_FIELD,
    component: ResourceNameField,
    validation: resourceNameFieldValidation,
    schema: KratixResourceNameFieldSchema.schema,
  }),
);
