/*
 * Permission rules for Kratix Resources (resource type `kratix-resource`). Policies combine them
 * through `kratixResourceConditions`, e.g. owners of the linked entity, or a platform team for every
 * Resource in its namespaces, or every Resource that no entity claims.
 */
import { createPermissionRule } from '@backstage/plugin-permission-node';
import { z } from 'zod';
import { normalizeEntityRef } from '@kratix-backstage/plugin-kratix-common';
import { kratixResourcePermissionResourceRef as resourceRef } from './resourceRef';

const lower = (values: string[]) =>
  values.map(v => v.toLocaleLowerCase('en-US'));

/** Nothing to query: Kratix Resources live in watch-fed memory, so rules only `apply`. */
const noQuery = (): never => {
  throw new Error('Kratix Resource conditions cannot be turned into queries');
};

export const isResourceOwner = createPermissionRule({
  name: 'IS_RESOURCE_OWNER',
  description:
    'Allow Resources owned by one of the given entities (the owners of the entity the platform links it to)',
  resourceRef,
  paramsSchema: z.object({
    claims: z
      .array(z.string())
      .describe('Entity refs, e.g. group:default/team-a'),
  }),
  apply: (resource, { claims }) => {
    const wanted = new Set(lower(claims));
    return resource.owners.some(owner => wanted.has(owner));
  },
  toQuery: noQuery,
});

export const isInNamespace = createPermissionRule({
  name: 'IS_IN_NAMESPACE',
  description: 'Allow Resources in one of the given namespaces',
  resourceRef,
  paramsSchema: z.object({
    namespaces: z.array(z.string()).describe('Kubernetes namespaces'),
  }),
  apply: (resource, { namespaces }) => namespaces.includes(resource.namespace),
  toQuery: noQuery,
});

export const isOnCluster = createPermissionRule({
  name: 'IS_ON_CLUSTER',
  description: 'Allow Resources on one of the given Kratix platform clusters',
  resourceRef,
  paramsSchema: z.object({
    clusters: z
      .array(z.string())
      .describe('Cluster names from kratix.clusters'),
  }),
  apply: (resource, { clusters }) => clusters.includes(resource.cluster),
  toQuery: noQuery,
});

export const isOfPromise = createPermissionRule({
  name: 'IS_OF_PROMISE',
  description: 'Allow Resources of one of the given Promises',
  resourceRef,
  paramsSchema: z.object({
    promises: z.array(z.string()).describe('Promise names'),
  }),
  apply: (resource, { promises }) => promises.includes(resource.promise),
  toQuery: noQuery,
});

export const hasEntityRef = createPermissionRule({
  name: 'HAS_ENTITY_REF',
  description:
    'Allow Resources whose kratix.backstage.io/entity-ref names an entity (any, or one of the given ones)',
  resourceRef,
  paramsSchema: z.object({
    entityRefs: z
      .array(z.string())
      .optional()
      .describe('Entity refs; any entity when omitted'),
  }),
  apply: (resource, { entityRefs }) => {
    // Read as the read path binds the annotation: canonical, lower-cased, `default` namespace when
    // left out; a value that names no entity (no kind, unreadable) counts as none.
    const named = resource.entityRef
      ? normalizeEntityRef(resource.entityRef)
      : undefined;
    if (!named) return false;
    if (!entityRefs) return true;
    return entityRefs.some(ref => normalizeEntityRef(ref) === named);
  },
  toQuery: noQuery,
});

/** @public */
export const kratixResourcePermissionRules = {
  isResourceOwner,
  isInNamespace,
  isOnCluster,
  isOfPromise,
  hasEntityRef,
};
