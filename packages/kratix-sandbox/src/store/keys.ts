/* How the store names things: type ids, object keys and apiVersions. */
import type { TypeKey } from './types';

export const NAMESPACES: TypeKey = { group: '', plural: 'namespaces' };

/** `group/plural`: the id a type is registered (and its changes recorded) under. */
export const typeIdOf = (key: TypeKey) => `${key.group}/${key.plural}`;

/** `namespace/name` (empty namespace for cluster-scoped objects), sorting like etcd keys. */
export const keyOf = (namespace: string | undefined, name: string) =>
  `${namespace ?? ''}/${name}`;

export const apiVersionOf = (group: string, version: string) =>
  group ? `${group}/${version}` : version;
