/*
 * The Kratix Resource as the permission framework sees it: what a policy's conditions are
 * evaluated on. `owners` are the entities that own the Resource as far as the platform agrees: the
 * owners of the entity it is read through (a confirmed link), or of the entity its
 * `kratix.backstage.io/entity-ref` names, or the groups `kratix.namespaceOwners` maps its namespace to.
 */
import { createPermissionResourceRef } from '@backstage/plugin-permission-node';
import { RESOURCE_TYPE_KRATIX_RESOURCE } from '@kratix-backstage/plugin-kratix-common';

/**
 * What `kratix-resource` permission rules decide on.
 *
 * @public
 */
export interface KratixPermissionResource {
  cluster: string;
  promise: string;
  namespace: string;
  name: string;
  labels: Record<string, string>;
  /** The entity the Resource belongs to by its own `kratix.backstage.io/entity-ref`, if any. */
  entityRef?: string;
  /** Owner entity refs (e.g. `group:default/team-a`), lower-cased. */
  owners: string[];
}

/**
 * Conditions on Kratix Resources are not translated to queries: the rules apply in memory.
 *
 * @public
 */
export type KratixPermissionQuery = never;

/** @public */
export const kratixResourcePermissionResourceRef = createPermissionResourceRef<
  KratixPermissionResource,
  KratixPermissionQuery
>().with({
  pluginId: 'kratix',
  resourceType: RESOURCE_TYPE_KRATIX_RESOURCE,
});
