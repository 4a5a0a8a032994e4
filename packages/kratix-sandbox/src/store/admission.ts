/*
 * What the apiserver does to an object between decoding and storing it: prune unknown fields,
 * apply schema defaults, check the name and validate against the type's openAPIV3Schema.
 */
import { invalid } from './errors';
import { validateSubdomainName } from './names';
import { applyDefaults, prune } from './structural';
import { validateAgainstSchema } from './schemaValidator';
import type { KubeObject, ResourceType, StatusCause } from './types';

export function versionOf(apiVersion: string): string {
  const slash = apiVersion.indexOf('/');
  return slash < 0 ? apiVersion : apiVersion.slice(slash + 1);
}

export function schemaFor(
  type: ResourceType,
  version: string,
): Record<string, unknown> | undefined {
  return type.schemas?.[version] ?? type.schemas?.[type.storageVersion];
}

/** maxLength of metadata.name in the schema (Kratix's CRDs cap names at 63). */
function nameMaxLength(
  schema: Record<string, unknown> | undefined,
): number | undefined {
  const meta = (schema?.properties as Record<string, any> | undefined)
    ?.metadata;
  const max = meta?.properties?.name?.maxLength;
  return typeof max === 'number' ? max : undefined;
}

export interface AdmissionResult {
  /** Paths of fields dropped because the schema does not know them. */
  pruned: string[];
}

/**
 * Mutates `object` (a private copy) into what gets stored; throws 422 Invalid with all causes.
 * `checkName` is false on updates, where the name is already stored.
 */
export function admit(
  type: ResourceType,
  object: KubeObject,
  previous: KubeObject | undefined,
): AdmissionResult {
  const schema = schemaFor(type, versionOf(object.apiVersion));
  const causes: StatusCause[] = [];
  if (!previous) {
    causes.push(
      ...(type.hooks?.validateName
        ? type.hooks.validateName(object.metadata.name)
        : validateSubdomainName(
            object.metadata.name,
            nameMaxLength(schema) ?? 253,
          )),
    );
  }
  let pruned: string[] = [];
  if (schema) {
    pruned = prune(object, schema);
    applyDefaults(object, schema);
    causes.push(...validateAgainstSchema(object, schema));
  }
  type.hooks?.applyDefaults?.(object);
  if (type.hooks?.validate)
    causes.push(...type.hooks.validate(object, previous));
  if (causes.length)
    throw invalid(type.group, type.kind, object.metadata.name, causes);
  return { pruned };
}
