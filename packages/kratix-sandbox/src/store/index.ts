/* The object store: an in-memory Kubernetes API storage layer (see types.ts). */
import { registerBuiltinTypes } from './builtinTypes';
import { installCrdController } from './crdTypes';
import { ObjectStore, type ObjectStoreOptions } from './ObjectStore';

export * from './types';
export * from './errors';
export { ObjectStore, type ObjectStoreOptions } from './ObjectStore';
export * from './builtinTypes';
export {
  CRD_KEY,
  installCrdController,
  resourceTypeFromCrd,
  validateCrd,
} from './crdTypes';
export { kubeTimestamp } from './names';

/** A store with the built-in kinds, the default namespaces, and CRDs turning into types. */
export function createSandboxStore(
  options: ObjectStoreOptions = {},
): ObjectStore {
  const store = new ObjectStore(options);
  registerBuiltinTypes(store);
  installCrdController(store);
  return store;
}
