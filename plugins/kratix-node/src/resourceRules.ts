/*
 * The rules a Resource must pass before anything is sent to a cluster: the configured creation
 * bounds, Kubernetes naming, and the Promise's openAPIV3Schema (ajv). Failures are InputErrors that
 * name the field, so callers can answer 400 and change nothing.
 */
import Ajv, { type ErrorObject, type ValidateFunction } from 'ajv';
import { InputError, NotAllowedError } from '@backstage/errors';
import { specSchemaOf } from '@kratix-backstage/plugin-kratix-common';
import { DEFAULT_MAX_SPEC_DEPTH, type CreationBounds } from './clusterConfig';

const DNS_SUBDOMAIN =
  /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

/** Kratix limits Resource names to 63 characters (it injects maxLength into the CRD). */
export function checkResourceName(name: unknown): string {
  if (typeof name !== 'string' || name === '') {
    throw new InputError('name: required');
  }
  if (name.length > 63 || !DNS_SUBDOMAIN.test(name)) {
    throw new InputError(
      `name: "${name}" must be a lowercase RFC 1123 name of at most 63 characters (letters, digits, '-' and '.', starting and ending with a letter or digit)`,
    );
  }
  return name;
}

export function checkNamespace(namespace: unknown): string {
  if (typeof namespace !== 'string' || namespace === '') {
    throw new InputError('namespace: required');
  }
  if (namespace.length > 63 || !DNS_LABEL.test(namespace)) {
    throw new InputError(
      `namespace: "${namespace}" must be a lowercase RFC 1123 label of at most 63 characters`,
    );
  }
  return namespace;
}

export function checkCreationBounds(
  bounds: CreationBounds,
  target: { cluster: string; promise: string; namespace: string },
): void {
  if (
    bounds.allowedClusters &&
    !bounds.allowedClusters.includes(target.cluster)
  ) {
    throw new NotAllowedError(
      `cluster: Resources may not be created on cluster "${target.cluster}" through Backstage`,
    );
  }
  if (
    bounds.allowedPromises &&
    !bounds.allowedPromises.includes(target.promise)
  ) {
    throw new NotAllowedError(
      `promise: Resources of Promise "${target.promise}" may not be created through Backstage`,
    );
  }
  if (!bounds.allowedNamespaces.includes(target.namespace)) {
    throw new NotAllowedError(
      `namespace: Resources may not be created in namespace "${
        target.namespace
      }" through Backstage (allowed: ${bounds.allowedNamespaces.join(', ')})`,
    );
  }
}

// Kubernetes' structural-schema extensions are not JSON Schema: let ajv accept and ignore them.
export const KUBERNETES_KEYWORDS = [
  'x-kubernetes-preserve-unknown-fields',
  'x-kubernetes-int-or-string',
  'x-kubernetes-embedded-resource',
  'x-kubernetes-list-type',
  'x-kubernetes-list-map-keys',
  'x-kubernetes-map-type',
  'x-kubernetes-validations',
];

/**
 * The path below `spec` of the first value nested deeper than `max` levels (`spec` itself is level
 * 0), or undefined. Iterative, so a spec thousands of levels deep cannot overflow the stack here.
 */
export function tooDeepField(spec: unknown, max: number): string | undefined {
  type Frame = { value: unknown; depth: number; path: string };
  const stack: Frame[] = [{ value: spec, depth: 0, path: 'spec' }];
  while (stack.length > 0) {
    const { value, depth, path } = stack.pop()!;
    if (value === null || typeof value !== 'object') continue;
    if (depth > max) return path;
    for (const [key, child] of Object.entries(value)) {
      if (child !== null && typeof child === 'object') {
        stack.push({ value: child, depth: depth + 1, path: `${path}.${key}` });
      }
    }
  }
  return undefined;
}

/** Compiles Promise schemas once per schema object and validates `spec` against them. */
export class SpecValidator {
  private readonly ajv = new Ajv({
    allErrors: true,
    strict: false,
    useDefaults: false,
  });
  private readonly cache = new WeakMap<object, ValidateFunction>();

  constructor(private readonly maxDepth = DEFAULT_MAX_SPEC_DEPTH) {
    for (const keyword of KUBERNETES_KEYWORDS) this.ajv.addKeyword(keyword);
  }

  /**
   * Throws an InputError naming the first failing field (`spec.size`) and every other failure. A
   * spec nested deeper than the bound is refused first: validating, pruning and the cluster all
   * recurse into it.
   */
  validateSpec(
    schema: Record<string, unknown> | undefined,
    spec: unknown,
  ): void {
    const tooDeep = tooDeepField(spec, this.maxDepth);
    if (tooDeep) {
      const field =
        tooDeep.length > 120 ? `${tooDeep.slice(0, 120)}…` : tooDeep;
      throw new InputError(
        `${field}: nested more than ${this.maxDepth} levels deep (kratix.creation.maxSpecDepth)`,
      );
    }
    const specSchema = specSchemaOf(schema);
    if (!specSchema) return;
    let validate = this.cache.get(specSchema);
    if (!validate) {
      validate = this.ajv.compile(specSchema);
      this.cache.set(specSchema, validate);
    }
    if (validate(spec ?? {})) return;
    const messages = (validate.errors ?? []).map(describe);
    throw new InputError(messages.join('; '));
  }
}

function describe(error: ErrorObject): string {
  const path = error.instancePath
    .split('/')
    .slice(1)
    .map(p => p.replace(/~1/g, '/').replace(/~0/g, '~'));
  if (error.keyword === 'required') {
    path.push(
      String((error.params as { missingProperty: string }).missingProperty),
    );
    return `spec.${path.join('.')}: required`;
  }
  const field = ['spec', ...path].join('.');
  if (error.keyword === 'enum') {
    const allowed = (error.params as { allowedValues: unknown[] })
      .allowedValues;
    return `${field}: must be one of ${allowed
      .map(v => JSON.stringify(v))
      .join(', ')}`;
  }
  return `${field}: ${error.message}`;
}
