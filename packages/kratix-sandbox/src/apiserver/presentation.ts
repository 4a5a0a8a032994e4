/* Objects are stored once in their storage version and shown in whichever version was asked for. */
import type { KubeObject, ResourceType } from '../store/types';

export function apiVersionFor(type: ResourceType, version: string): string {
  return type.group ? `${type.group}/${version}` : version;
}

export function presenter(
  type: ResourceType,
  version: string,
): (object: KubeObject) => KubeObject {
  const apiVersion = apiVersionFor(type, version);
  return object =>
    object.apiVersion === apiVersion ? object : { ...object, apiVersion };
}
