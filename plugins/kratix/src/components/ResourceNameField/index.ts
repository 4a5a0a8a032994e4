export { ResourceNameField } from './ResourceNameField';
export type { ResourceNameFieldProps } from './ResourceNameField';
export { resourceNameFieldValidation } from './validation';
export { KratixResourceNameFieldSchema, RESOURCE_NAME_FIELD } from './schema';
export type { KratixResourceNameFieldOptions } from './checkName';
export { RESOURCE_NAME_RULE } from './nameRule';
