/* Turning a caller's object into a private copy for one type, before admission (admission.ts). */
import { versionOf } from './admission';
import { badRequest } from './errors';
import { apiVersionOf } from './keys';
import { checkNestingDepth } from './nesting';
import type { KubeObject, ResourceType } from './types';

/** A private, mutable copy with apiVersion and kind checked (filled in when absent). */
export function decodeObject(
  type: ResourceType,
  input: KubeObject,
): KubeObject {
  // First: copying, pruning and validating all recurse (see nesting.ts).
  checkNestingDepth(input);
  const object = structuredClone(input) as KubeObject;
  const expected = apiVersionOf(type.group, type.storageVersion);
  if (!object.apiVersion) object.apiVersion = expected;
  const group = object.apiVersion.includes('/')
    ? object.apiVersion.split('/')[0]
    : '';
  if (
    group !== type.group ||
    !type.versions.includes(versionOf(object.apiVersion))
  ) {
    throw badRequest(
      `the API version in the data (${object.apiVersion}) does not match the expected API version (${expected})`,
    );
  }
  if (!object.kind) object.kind = type.kind;
  if (object.kind !== type.kind) {
    throw badRequest(
      `the kind in the data (${object.kind}) does not match the expected kind (${type.kind})`,
    );
  }
  if (!object.metadata || typeof object.metadata !== 'object')
    object.metadata = { name: '' };
  return object;
}
