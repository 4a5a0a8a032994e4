/*
 * openAPIV3Schema validation with ajv, compiled once per schema object (the hot path of every
 * write), with ajv's errors translated into Kubernetes field causes and wording.
 */
import Ajv, { type ErrorObject, type ValidateFunction } from 'ajv';
import type { StatusCause } from './types';

type Schema = Record<string, unknown>;

const ajv = new Ajv({
  strict: false,
  allErrors: true,
  verbose: true,
  validateFormats: false,
  addUsedSchema: false,
});

const compiled = new WeakMap<Schema, ValidateFunction>();

/** Rewrites the K8s extensions ajv does not know into plain JSON Schema. */
function toAjvSchema(node: unknown, isRoot = false): unknown {
  if (Array.isArray(node)) return node.map(n => toAjvSchema(n));
  if (node === null || typeof node !== 'object') return node;
  const out: Schema = {};
  for (const [key, value] of Object.entries(node as Schema)) {
    // `default` and the x- extensions are handled by structural.ts or not validated here.
    if (key === 'default' || key.startsWith('x-kubernetes-')) continue;
    if (
      key === 'properties' ||
      key === 'patternProperties' ||
      key === 'definitions'
    ) {
      out[key] = Object.fromEntries(
        Object.entries(value as Schema).map(([k, v]) => [k, toAjvSchema(v)]),
      );
    } else {
      out[key] = toAjvSchema(value);
    }
  }
  const source = node as Schema;
  if (source['x-kubernetes-int-or-string'] === true) {
    delete out.anyOf;
    out.type =
      source.nullable === true
        ? ['integer', 'string', 'null']
        : ['integer', 'string'];
    delete out.nullable;
  }
  if (out.nullable !== undefined && out.type === undefined) delete out.nullable;
  // metadata is validated by the store (name rules), not by the CRD's schema.
  if (isRoot && out.properties && typeof out.properties === 'object') {
    (out.properties as Schema).metadata = { type: 'object' };
  }
  return out;
}

function validatorFor(schema: Schema): ValidateFunction {
  let validate = compiled.get(schema);
  if (!validate) {
    validate = ajv.compile(toAjvSchema(schema, true) as Schema);
    compiled.set(schema, validate);
  }
  return validate;
}

/** `/spec/items/0/name` → `spec.items[0].name` */
function fieldPath(pointer: string): string {
  let path = '';
  for (const raw of pointer.split('/').slice(1)) {
    const part = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    if (/^\d+$/.test(part)) path += `[${part}]`;
    else path += path ? `.${part}` : part;
  }
  return path;
}

function jsonType(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'number')
    return Number.isInteger(value) ? 'integer' : 'number';
  return typeof value;
}

function show(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (value !== null && typeof value === 'object')
    return `"${jsonType(value)}"`;
  return String(value);
}

function toCause(error: ErrorObject): StatusCause {
  const field = fieldPath(error.instancePath);
  const value = error.data;
  const p = error.params as Record<string, unknown>;
  const bad = (detail: string): StatusCause => ({
    reason: 'FieldValueInvalid',
    field,
    message: `Invalid value: ${show(value)}: ${field} in body ${detail}`,
  });
  switch (error.keyword) {
    case 'required':
      return {
        reason: 'FieldValueRequired',
        field: field
          ? `${field}.${p.missingProperty}`
          : String(p.missingProperty),
        message: 'Required value',
      };
    case 'type': {
      const actual = jsonType(value);
      const expected = Array.isArray(p.type)
        ? (p.type as string[]).join('/')
        : String(p.type);
      return {
        reason: 'FieldValueTypeInvalid',
        field,
        message: `Invalid value: "${actual}": ${field} in body must be of type ${expected}: "${actual}"`,
      };
    }
    case 'enum':
      return {
        reason: 'FieldValueNotSupported',
        field,
        message: `Unsupported value: ${show(value)}: supported values: ${(
          p.allowedValues as unknown[]
        )
          .map(v => JSON.stringify(v))
          .join(', ')}`,
      };
    case 'maxLength':
      return {
        reason: 'FieldValueTooLong',
        field,
        message: `Too long: may not be more than ${p.limit} bytes`,
      };
    case 'maxItems':
      return {
        reason: 'FieldValueTooMany',
        field,
        message: `Too many: ${(value as unknown[]).length}: must have at most ${
          p.limit
        } items`,
      };
    case 'minLength':
      return bad(`should be at least ${p.limit} chars long`);
    case 'minItems':
      return bad(`should have at least ${p.limit} items`);
    case 'maximum':
    case 'exclusiveMaximum':
      return bad(
        `should be less than ${
          error.keyword === 'maximum' ? 'or equal to ' : ''
        }${p.limit}`,
      );
    case 'minimum':
    case 'exclusiveMinimum':
      return bad(
        `should be greater than ${
          error.keyword === 'minimum' ? 'or equal to ' : ''
        }${p.limit}`,
      );
    case 'pattern':
      return bad(`should match '${p.pattern}'`);
    case 'multipleOf':
      return bad(`should be a multiple of ${p.multipleOf}`);
    case 'uniqueItems':
      return {
        reason: 'FieldValueDuplicate',
        field,
        message: `Duplicate value: ${show(value)}`,
      };
    default:
      return bad(error.message ?? 'is invalid');
  }
}

/** Validates (without changing) an object; returns Kubernetes causes, empty when valid. */
export function validateAgainstSchema(
  object: unknown,
  schema: Schema,
): StatusCause[] {
  const validate = validatorFor(schema);
  if (validate(object)) return [];
  const errors = validate.errors ?? [];
  // Branch errors under anyOf/oneOf are noise: the anyOf/oneOf error itself says it.
  return errors
    .filter(e => !/\/(anyOf|oneOf)\/\d+\//.test(e.schemaPath))
    .map(toCause);
}
