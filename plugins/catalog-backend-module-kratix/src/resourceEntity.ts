/*
 * A Resource as a catalog entity: kind Resource, type kratix-resource, with the annotations
 * Syntasso's portal writes (`kratix.io/*`), which the Kratix tab already reads, and
 * `kratix.backstage.io/cluster`, so the link resolves on the Resource's own cluster.
 *
 * What goes in is readable by whoever may read the entity, and its relations are readable by whoever
 * may read their other end (the catalog does not filter relations by permission). So the status
 * annotation is opt-in (`publishStatus`), and so are `dependsOn` relations (`dependsOn`): each would
 * name this entity on its Promise's entity and on the entity it was created for.
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
  providerEntityRef,
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
  /** Undefined: no dependsOn at all (`catalog.providers.kratix.dependsOn` is off). */
  dependsOn?: string[];
  templates: boolean;
  /** Write `kratix.io/status` (`catalog.providers.kratix.publishStatus`). */
  publishStatus: boolean;
}

export function resourceEntity(input: ResourceEntityInput): Entity {
  const { naming, kind, object } = input;
  const name = object.metadata.name;
  const namespace = object.metadata.namespace ?? 'default';
  const dependsOn = input.dependsOn && [
    ...new Set([
      providerEntityRef(
        naming,
        'component',
        promiseEntityName(naming, { name: kind.promise, kind: kind.kind }),
      ),
      ...input.dependsOn,
    ]),
  ];
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Resource',
    metadata: {
      namespace: naming.namespace,
      // The Resource's namespace is in the name (unless `default`), keeping same-named Resources apart.
      name: resourceEntityName(naming, { name, kind: kind.kind, namespace }),
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
        ...(input.publishStatus
          ? {
              [STATUS_ANNOTATION]: JSON.stringify({
                message: statusMessage(object.status),
                state: resourceState(object),
              }),
            }
          : {}),
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
      ...(dependsOn ? { dependsOn } : {}),
    },
  };
}
