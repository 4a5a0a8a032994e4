/*
 * Pruning and defaulting of structural openAPIV3Schemas, following the apiextensions-apiserver
 * algorithms (pkg/apiserver/schema/pruning and /defaulting): unknown fields are dropped unless
 * x-kubernetes-preserve-unknown-fields, and defaults fill absent (or non-nullable null) fields.
 */

type Schema = Record<string, unknown>;
type Json = Record<string, unknown>;

const META_FIELDS = new Set(['apiVersion', 'kind', 'metadata']);

const isObject = (value: unknown): value is Json =>
  value !== null && typeof value === 'object' && !Array.isArray(value);

function properties(schema: Schema): Record<string, Schema> | undefined {
  return isObject(schema.properties)
    ? (schema.properties as Record<string, Schema>)
    : undefined;
}

function additional(schema: Schema): Schema | undefined {
  return isObject(schema.additionalProperties)
    ? (schema.additionalProperties as Schema)
    : undefined;
}

function items(schema: Schema): Schema | undefined {
  return isObject(schema.items) ? (schema.items as Schema) : undefined;
}

/** Removes unknown fields in place; returns their paths (e.g. `spec.foo`) for strict field validation. */
export function prune(object: Json, schema: Schema): string[] {
  const pruned: string[] = [];
  pruneValue(object, schema, '', true, pruned);
  return pruned;
}

const join = (path: string, key: string) => (path ? `${path}.${key}` : key);

function pruneValue(
  value: unknown,
  schema: Schema | undefined,
  path: string,
  isRoot: boolean,
  pruned: string[],
): void {
  if (schema && schema['x-kubernetes-preserve-unknown-fields'] === true) {
    skipPrune(value, schema, path, pruned);
    return;
  }
  if (Array.isArray(value)) {
    value.forEach((v, i) =>
      pruneValue(v, schema && items(schema), `${path}[${i}]`, false, pruned),
    );
    return;
  }
  if (!isObject(value)) return;
  const embedded = schema?.['x-kubernetes-embedded-resource'] === true;
  for (const key of Object.keys(value)) {
    if ((isRoot || embedded) && META_FIELDS.has(key)) continue;
    const prop = schema && properties(schema)?.[key];
    const extra = schema && additional(schema);
    if (prop) {
      pruneValue(value[key], prop, join(path, key), false, pruned);
    } else if (extra) {
      pruneValue(value[key], extra, join(path, key), false, pruned);
    } else if (schema?.additionalProperties !== true) {
      pruned.push(join(path, key));
      delete value[key];
    }
  }
}

/** Under preserve-unknown-fields: keep unknown fields, but prune inside the ones with a schema. */
function skipPrune(
  value: unknown,
  schema: Schema,
  path: string,
  pruned: string[],
): void {
  if (Array.isArray(value)) {
    const itemSchema = items(schema);
    if (itemSchema)
      value.forEach((v, i) =>
        skipPrune(v, itemSchema, `${path}[${i}]`, pruned),
      );
    return;
  }
  if (!isObject(value)) return;
  const embedded = schema['x-kubernetes-embedded-resource'] === true;
  for (const key of Object.keys(value)) {
    if (embedded && META_FIELDS.has(key)) continue;
    const prop = properties(schema)?.[key] ?? additional(schema);
    if (prop) pruneValue(value[key], prop, join(path, key), false, pruned);
  }
}

const nonNullableNull = (value: unknown, schema: Schema) =>
  value === null && schema.nullable !== true;

/** Applies `default`s in place, recursing into defaulted values too, as the apiserver does. */
export function applyDefaults(
  value: unknown,
  schema: Schema | undefined,
): void {
  if (!schema) return;
  if (Array.isArray(value)) {
    const itemSchema = items(schema);
    if (!itemSchema) return;
    value.forEach((v, i) => {
      if (itemSchema.default !== undefined && nonNullableNull(v, itemSchema)) {
        value[i] = structuredClone(itemSchema.default);
      }
      applyDefaults(value[i], itemSchema);
    });
    return;
  }
  if (!isObject(value)) return;
  const props = properties(schema) ?? {};
  for (const [key, prop] of Object.entries(props)) {
    if (prop.default === undefined) continue;
    if (!(key in value) || nonNullableNull(value[key], prop))
      value[key] = structuredClone(prop.default);
  }
  const extra = additional(schema);
  for (const key of Object.keys(value)) {
    const prop = props[key] ?? extra;
    if (prop) applyDefaults(value[key], prop);
  }
}
