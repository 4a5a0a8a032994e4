/* The field's return value and `ui:options`, as the scaffolder documents them on /create/actions. */
import { makeFieldSchema } from '@backstage/plugin-scaffolder-react';

/**
 * The name of the field, as templates use it in `ui:field`.
 *
 * @public
 */
export const RESOURCE_NAME_FIELD = 'KratixResourceNameField';

/** @public */
export const KratixResourceNameFieldSchema = makeFieldSchema({
  output: z => z.string(),
  uiOptions: z =>
    z.object({
      promise: z
        .string()
        .describe(
          "The Promise, by name or kind, as the create step's input.promise",
        ),
      cluster: z.string().optional().describe('The platform cluster'),
      namespace: z
        .string()
        .optional()
        .describe("The Resource's namespace, when the template fixes it"),
      namespaceField: z
        .string()
        .optional()
        .describe('The form field holding the namespace'),
      entityRefField: z
        .string()
        .optional()
        .describe('The form field holding the entity (default entityRef)'),
      specField: z
        .string()
        .optional()
        .describe('The form field holding the whole spec'),
      specFields: z
        .array(z.string())
        .optional()
        .describe('Form fields copied into the spec under their own names'),
    }),
});
