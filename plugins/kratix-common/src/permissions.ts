/*
 * Permissions of the Kratix plugins. Reading is scoped to the catalog entity a Resource is linked
 * to, so policies can decide with catalog rules (owner, kind, …); creating is a basic permission
 * that policies decide per user, with the target checked against configuration by the backend.
 */
import { RESOURCE_TYPE_CATALOG_ENTITY } from '@backstage/plugin-catalog-common/alpha';
import { createPermission } from '@backstage/plugin-permission-common';

/**
 * Read the Kratix Resources linked to a catalog entity.
 *
 * @public
 */
export const kratixResourceReadPermission = createPermission({
  name: 'kratix.resource.read',
  attributes: { action: 'read' },
  resourceType: RESOURCE_TYPE_CATALOG_ENTITY,
});

/**
 * Create a Kratix Resource (request a Promise's API).
 *
 * @public
 */
export const kratixResourceCreatePermission = createPermission({
  name: 'kratix.resource.create',
  attributes: { action: 'create' },
});

/**
 * Every Kratix permission, for registering with the permission framework.
 *
 * @public
 */
export const kratixPermissions = [
  kratixResourceReadPermission,
  kratixResourceCreatePermission,
];
