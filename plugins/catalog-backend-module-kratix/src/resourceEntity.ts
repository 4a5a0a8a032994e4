/*
 * A Resource as a catalog entity: kind Resource, type kratix-resource, with the annotations
 * Syntasso's portal writes (`kratix.io/*`), which the Kratix tab already reads, and
 * `kratix.backstage.io/cluster`, so the link resolves on the Resource's own cluster.
 */
import type { Entity } from '@backstage/catalog-model';
import {
  KRATIX_CLUSTER_ANNOTATION,
  SKE_ANNOTATION,
  resourceState,
  statusMessage,
  type KratixResourceObject,
} from '@kratix-backstage/plugin-kratix-common';
import type { ResourceKind } from '@kratix-backstage/plugin-kratix-node';
import { locationAnnotations } from './location';
import {
  promiseEntityName,
  resourceEntityName,
  templateEntityName,
  type NamingContext,
} from './names';

/** SKE's annotation naming the template that requests more of the same. */
export const TEMPLATE_ANNOTATION = 'kratix.io/backstage-promise-template';
/** SKE's annotation with a JSON summary of the status. */
export const STATUS_ANNOTATION = 'kratix.io/status';

export interface ResourceEntityInput {
  naming: NamingContext;
  kind: ResourceKind;
  object: KratixResourceObject;
  owner: string;
  system?: string;
  dependsOn: string[];
  templates: boolean;
}

export function resourceEntity(input: ResourceEntityInput): Entity {
  const { naming, kind, object } = input;
  const name = object.metadata.name;
  const namespace = object.metadata.namespace ?? 'default';
  const promiseRef = `component:default/${promiseEntityName(naming, {
    name: kind.promise,
    kind: kind.kind,
  })}`;
  const dependsOn = [...new Set([promiseRef, ...input.dependsOn])];
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Resource',
    metadata: {
      // The Resource's namespace keeps same-named Resources of different namespaces apart.
      namespace,
      name: resourceEntityName(naming, { name, kind: kind.kind }),
      title: `${name} ${kind.kind}`,
      description: `${name} ${kind.kind} created via the ${kind.promise} Promise on ${naming.cluster}`,
      tags: ['kratix'],
      annotations: {
        ...locationAnnotations(naming.cluster),
        [SKE_ANNOTATION.type]: 'resource',
        [SKE_ANNOTATION.promiseName]: kind.promise,
        [SKE_ANNOTATION.group]: kind.group,
        [SKE_ANNOTATION.version]: kind.version,
        [SKE_ANNOTATION.kind]: kind.kind,
        [SKE_ANNOTATION.name]: name,
        [SKE_ANNOTATION.namespace]: namespace,
        [KRATIX_CLUSTER_ANNOTATION]: naming.cluster,
        [STATUS_ANNOTATION]: JSON.stringify({
          message: statusMessage(object.status),
          state: resourceState(object),
        }),
        ...(input.templates
          ? {
              [TEMPLATE_ANNOTATION]: templateEntityName(naming, {
                kind: kind.kind,
              }),
            }
          : {}),
      },
    },
    spec: {
      type: 'kratix-resource',
      lifecycle: 'production',
      owner: input.owner,
      ...(input.system ? { system: input.system } : {}),
      dependsOn,
    },
  };
}
