/*
 * Permissions of the Kratix plugins.
 *
 * - Reading is decided on the Kratix Resource itself (resource type `kratix-resource`): policies
 *   decide with the rules the backend registers for that type (isResourceOwner, isInNamespace,
 *   hasEntityRef, …), so a platform team can be granted every Resource, including those no entity
 *   links to, while application teams read what their entities own.
 * - Writes (create, update, delete) are decided on the catalog entity the Resource is for
 *   (resource type `catalog-entity`), so policies decide with catalog rules (isEntityOwner, …).
 *   Creating a Resource for no entity is a separate, basic permission the platform team holds.
 */
import { RESOURCE_TYPE_CATALOG_ENTITY } from '@backstage/plugin-catalog-common/alpha';
import {
  createPermission,
  type Permission,
} from '@backstage/plugin-permission-common';

/**
 * The permission resource type of a Kratix Resource; its resourceRef is a {@link KratixPermissionRef}.
 *
 * @public
 */
export const RESOURCE_TYPE_KRATIX_RESOURCE = 'kratix-resource';

/**
 * Read a Kratix Resource: its status, conditions, timeline, and search documents about it.
 *
 * @public
 */
export const kratixResourceReadPermission = createPermission({
  name: 'kratix.resource.read',
  attributes: { action: 'read' },
  resourceType: RESOURCE_TYPE_KRATIX_RESOURCE,
});

/**
 * Read a Kratix Resource's pipeline logs (and the failed containers' kept last lines). Logs can
 * hold secrets, so this is its own permission, decided on the Resource like
 * {@link kratixResourceReadPermission}; a reader without it sees that logs exist, never their content.
 *
 * @public
 */
export const kratixResourceLogsReadPermission = createPermission({
  name: 'kratix.resource.logs.read',
  attributes: { action: 'read' },
  resourceType: RESOURCE_TYPE_KRATIX_RESOURCE,
});

/**
 * Create a Kratix Resource for a catalog entity; decided on that entity.
 *
 * @public
 */
export const kratixResourceCreatePermission = createPermission({
  name: 'kratix.resource.create',
  attributes: { action: 'create' },
  resourceType: RESOURCE_TYPE_CATALOG_ENTITY,
});

/**
 * Create a Kratix Resource that belongs to no catalog entity (a platform-team power).
 *
 * @public
 */
export const kratixResourceCreateUnlinkedPermission = createPermission({
  name: 'kratix.resource.create.unlinked',
  attributes: { action: 'create' },
});

/**
 * Change a Kratix Resource (spec, re-run, pause, resume); decided on the entity it belongs to.
 *
 * @public
 */
export const kratixResourceUpdatePermission = createPermission({
  name: 'kratix.resource.update',
  attributes: { action: 'update' },
  resourceType: RESOURCE_TYPE_CATALOG_ENTITY,
});

/**
 * Delete a Kratix Resource; decided on the entity it belongs to.
 *
 * @public
 */
export const kratixResourceDeletePermission = createPermission({
  name: 'kratix.resource.delete',
  attributes: { action: 'delete' },
  resourceType: RESOURCE_TYPE_CATALOG_ENTITY,
});

/**
 * List the Promises (the platform's offerings and their schemas).
 *
 * @public
 */
export const kratixPromiseReadPermission = createPermission({
  name: 'kratix.promise.read',
  attributes: { action: 'read' },
});

/**
 * Every Kratix permission, for registering with the permission framework.
 *
 * @public
 */
// Typed, so its API report does not depend on the order tsc happens to meet the union's members.
export const kratixPermissions: Permission[] = [
  kratixResourceReadPermission,
  kratixResourceLogsReadPermission,
  kratixResourceCreatePermission,
  kratixResourceCreateUnlinkedPermission,
  kratixResourceUpdatePermission,
  kratixResourceDeletePermission,
  kratixPromiseReadPermission,
];

/**
 * A Kratix Resource as a permission resourceRef: `<cluster>:<promise>/<namespace>/<name>`.
 *
 * @public
 */
export interface KratixPermissionRef {
  cluster: string;
  promise: string;
  namespace: string;
  name: string;
}

/** @public */
export function stringifyKratixPermissionRef(ref: KratixPermissionRef): string {
  return `${ref.cluster}:${ref.promise}/${ref.namespace}/${ref.name}`;
}

/**
 * Parses `<cluster>:<promise>/<namespace>/<name>`; undefined when it is not one.
 *
 * @public
 */
export function parseKratixPermissionRef(
  value: string,
): KratixPermissionRef | undefined {
  const match = /^([^:/]+):([^:/]+)\/([^:/]+)\/([^:/]+)$/.exec(value);
  if (!match) return undefined;
  const [, cluster, promise, namespace, name] = match;
  return { cluster, promise, namespace, name };
}
