/*
 * A Promise's `openAPIV3Schema.properties.spec` as the JSON schema of a form: types, defaults, enums,
 * bounds, patterns, required fields and descriptions carry over; nested objects become titled
 * sections (how the scaffolder's form renders an object). Kubernetes extensions (`x-kubernetes-*`)
 * and `nullable` are not JSON schema: they are translated or dropped. A string whose pattern only
 * lists alternatives (`^(small|large)$`) becomes a choice of them. A Promise with no schema for its
 * spec gets a free-form object (key/value pairs).
 *
 * One conversion for every form of a spec: the generated software templates (catalog module) and the
 * Kratix tab's spec editor (frontend). Isomorphic: no Node or browser APIs.
 */
import { specSchemaOf } from './promise';

/**
 * A JSON value, as a form schema holds it (the shape of `@backstage/types`' JsonValue).
 *
 * @public
 */
export type FormSchemaValue =
  | string
  | number
  | boolean
  | null
  | FormSchemaValue[]
  | { [key: string]: FormSchemaValue | undefined };

/**
 * A JSON schema for a form (react-jsonschema-form, as the scaffolder uses).
 *
 * @public
 */
export type FormSchema = { [key: string]: FormSchemaValue | undefined };

type Schema = Record<string, unknown>;

/** Keywords copied as they are: they mean the same in OpenAPI v3 and JSON schema. */
const COPIED = [
  'description',
  'default',
  'enum',
  'format',
  'pattern',
  'minimum',
  'maximum',
  'exclusiveMinimum',
  'exclusiveMaximum',
  'multipleOf',
  'minLength',
  'maxLength',
  'minItems',
  'maxItems',
  'uniqueItems',
  'minProperties',
  'maxProperties',
] as const;

function isRecord(value: unknown): value is Schema {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * `cluster.env` → `Env`, `downloadURL` → `Download URL`.
 *
 * @public
 */
export function titleOf(key: string): string {
  const words = key
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/[-_]+/g, ' ')
    .trim();
  return words.charAt(0).toLocaleUpperCase('en-US') + words.slice(1);
}

/** `^(a|b)$` or `^(?:a|b)$` with literal alternatives: anchored, one group, nothing else. */
const ALTERNATIVES =
  /^\^\((?:\?:)?((?:[A-Za-z0-9_ -]|\\[.\-/])+(?:\|(?:[A-Za-z0-9_ -]|\\[.\-/])+)*)\)\$$/;

/**
 * The values a pattern allows when it is only a list of literal alternatives (`^(small|large)$`
 * → `['small', 'large']`); undefined for any other pattern. Such a pattern is how CRDs often spell
 * an enum, and a form should offer the choices rather than show the regular expression.
 *
 * @public
 */
export function patternAlternatives(pattern: unknown): string[] | undefined {
  if (typeof pattern !== 'string') return undefined;
  const match = ALTERNATIVES.exec(pattern);
  if (!match) return undefined;
  return match[1].split('|').map(alternative => alternative.replace(/\\/g, ''));
}

function convert(schema: Schema, key: string | undefined): FormSchema {
  const out: FormSchema = {};
  if (key !== undefined) out.title = (schema.title as string) ?? titleOf(key);
  else if (typeof schema.title === 'string') out.title = schema.title;
  for (const keyword of COPIED) {
    if (schema[keyword] !== undefined)
      out[keyword] = schema[keyword] as FormSchemaValue;
  }

  if (schema['x-kubernetes-int-or-string'] === true) {
    out.type = ['integer', 'string'];
    return out;
  }
  const type = schema.type;
  const properties = isRecord(schema.properties)
    ? schema.properties
    : undefined;
  if (type === 'object' || (type === undefined && properties)) {
    out.type = 'object';
    if (properties) {
      const converted: FormSchema = {};
      for (const [name, child] of Object.entries(properties)) {
        if (isRecord(child)) converted[name] = convert(child, name);
      }
      out.properties = converted;
      if (Array.isArray(schema.required) && schema.required.length) {
        out.required = schema.required.filter(
          (r): r is string => typeof r === 'string' && r in converted,
        );
      }
    }
    if (isRecord(schema.additionalProperties)) {
      out.additionalProperties = convert(
        schema.additionalProperties,
        undefined,
      );
    } else if (
      !properties &&
      (schema.additionalProperties === true ||
        schema['x-kubernetes-preserve-unknown-fields'] === true ||
        schema.additionalProperties === undefined)
    ) {
      // An object the schema says nothing about: free-form keys and values.
      out.additionalProperties = true;
    }
    return out;
  }
  if (type === 'array') {
    out.type = 'array';
    out.items = isRecord(schema.items) ? convert(schema.items, undefined) : {};
    return out;
  }
  if (type === 'string' && out.enum === undefined) {
    // The same values either way for a string: the enum is the pattern, as a choice.
    const alternatives = patternAlternatives(schema.pattern);
    if (alternatives) {
      out.enum = alternatives;
      delete out.pattern;
    }
  }
  // No type (x-kubernetes-preserve-unknown-fields on a leaf): any value, so the type stays open.
  if (typeof type === 'string') out.type = type;
  return out;
}

/**
 * The form schema of a Resource's `spec`, from the Promise's `openAPIV3Schema`. `required` tells
 * whether the Resource must have a spec at all; `described` whether the Promise describes its
 * spec's fields (when not, the schema is a free-form object).
 *
 * @public
 */
export function specFormSchema(
  openAPIV3Schema: Record<string, unknown> | undefined,
  kind: string,
): { schema: FormSchema; required: boolean; described: boolean } {
  const spec = specSchemaOf(openAPIV3Schema);
  const required =
    Array.isArray(openAPIV3Schema?.required) &&
    openAPIV3Schema!.required.includes('spec');
  if (!spec || !isRecord(spec.properties)) {
    return {
      schema: {
        title: `${kind} spec`,
        description:
          (spec?.description as string | undefined) ??
          'This Promise does not describe its spec: add the fields it expects, one key and value each.',
        type: 'object',
        additionalProperties: true,
      },
      required,
      described: false,
    };
  }
  const schema = convert(spec, undefined);
  schema.title = `${kind} spec`;
  return { schema, required, described: true };
}
