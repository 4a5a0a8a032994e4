/*
 * Whether a requested spec is the one a Resource already has. The API server fills schema defaults
 * in (Kratix CRDs are structural), so both sides are compared with the Promise's defaults applied:
 * `{}` and `{ size: 'small' }` are the same request when `small` is the default.
 */
import { specSchemaOf } from '@kratix-backstage/plugin-kratix-common';
import Ajv, { type ValidateFunction } from 'ajv';
import { isDeepStrictEqual } from 'node:util';
import { KUBERNETES_KEYWORDS } from '../resourceRules';

const ajv = new Ajv({ strict: false, useDefaults: true, allErrors: true });
for (const keyword of KUBERNETES_KEYWORDS) ajv.addKeyword(keyword);
const compiled = new WeakMap<object, ValidateFunction>();

/** A copy of `spec` with the schema's defaults filled in. */
export function withDefaults(
  schema: Record<string, unknown> | undefined,
  spec: unknown,
): unknown {
  const copy = structuredClone(spec ?? {});
  const specSchema = specSchemaOf(schema);
  if (!specSchema) return copy;
  let validate = compiled.get(specSchema);
  if (!validate) {
    validate = ajv.compile(specSchema);
    compiled.set(specSchema, validate);
  }
  validate(copy);
  return copy;
}

export function sameSpec(
  schema: Record<string, unknown> | undefined,
  existing: unknown,
  requested: unknown,
): boolean {
  return isDeepStrictEqual(
    withDefaults(schema, existing),
    withDefaults(schema, requested),
  );
}
