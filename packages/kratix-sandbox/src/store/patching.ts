/*
 * Applies a PATCH body to a copy of the stored object. Strategic merge and server-side apply are
 * treated as JSON merge patches (RFC 7386): exact for custom resources, close enough for the few
 * built-in kinds served here (lists are replaced rather than merged by key).
 */
import { applyPatch, type Operation } from 'fast-json-patch';
import { apply as mergePatch } from 'json-merge-patch';
import { badRequest, KubeApiError } from './errors';
import type { KubeObject, PatchType } from './types';

export function patchObject(
  base: KubeObject,
  patchType: PatchType,
  patch: unknown,
): KubeObject {
  if (patchType === 'json') {
    if (!Array.isArray(patch)) {
      throw badRequest(
        'json: cannot unmarshal object into Go value of type jsonpatch.Patch',
      );
    }
    try {
      return applyPatch(structuredClone(base), patch as Operation[], true, true)
        .newDocument;
    } catch (error) {
      // Same code as the apiserver for a patch that does not apply.
      throw new KubeApiError(
        422,
        'Invalid',
        `the server rejected our request due to an error in our request: ${
          (error as Error).message.split('\n')[0]
        }`,
        {},
      );
    }
  }
  if (patch === null || typeof patch !== 'object' || Array.isArray(patch)) {
    throw badRequest(
      'json: cannot unmarshal array into Go value of type map[string]interface {}',
    );
  }
  return mergePatch(structuredClone(base), patch) as KubeObject;
}
