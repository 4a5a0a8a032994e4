/*
 * A Promise as a catalog entity: a Component of type kratix-promise describing the offering (its API
 * kind, description, status), depending on the Promises it requires, with the annotations Syntasso's
 * portal writes on Promise entities.
 */
import type { Entity } from '@backstage/catalog-model';
import {
  KRATIX_CLUSTER_ANNOTATION,
  SKE_ANNOTATION,
  type KratixPromiseView,
} from '@kratix-backstage/plugin-kratix-common';
import { locationAnnotations } from './location';
import {
  promiseEntityName,
  providerEntityRef,
  templateEntityName,
  type NamingContext,
} from './names';
import { STATUS_ANNOTATION, TEMPLATE_ANNOTATION } from './resourceEntity';

export interface PromiseEntityInput {
  naming: NamingContext;
  promise: KratixPromiseView;
  /** Kinds of the installed Promises by name, to name the entities of required Promises. */
  kindsByPromise: Map<string, string>;
  owner: string;
  system?: string;
  templates: boolean;
}

export function promiseEntity(input: PromiseEntityInput): Entity {
  const { naming, promise } = input;
  const dependsOn = (promise.requiredPromises ?? []).map(name =>
    providerEntityRef(
      naming,
      'component',
      promiseEntityName(naming, {
        name,
        kind: input.kindsByPromise.get(name),
      }),
    ),
  );
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: {
      namespace: naming.namespace,
      name: promiseEntityName(naming, promise),
      title: `${promise.kind} Promise`,
      description:
        promise.description ??
        `${promise.kind} as a Service, from the ${promise.name} Promise on ${naming.cluster}`,
      tags: ['kratix'],
      annotations: {
        ...locationAnnotations(naming.cluster),
        [SKE_ANNOTATION.type]: 'promise',
        [SKE_ANNOTATION.promiseName]: promise.name,
        'kratix.io/api-name': promise.kind,
        'kratix.io/api-group': promise.group,
        'kratix.backstage.io/api-version': promise.version,
        [KRATIX_CLUSTER_ANNOTATION]: naming.cluster,
        [STATUS_ANNOTATION]: JSON.stringify({
          status: promise.status ?? 'Unknown',
          ...(promise.promiseVersion
            ? { version: promise.promiseVersion }
            : {}),
          ...(promise.conditions.length
            ? {
                conditions: promise.conditions.map(c => ({
                  type: c.type,
                  status: c.status,
                  ...(c.reason ? { reason: c.reason } : {}),
                })),
              }
            : {}),
        }),
        ...(input.templates
          ? {
              [TEMPLATE_ANNOTATION]: templateEntityName(naming, promise),
            }
          : {}),
      },
    },
    spec: {
      type: 'kratix-promise',
      lifecycle: 'production',
      owner: input.owner,
      ...(input.system ? { system: input.system } : {}),
      ...(dependsOn.length ? { dependsOn } : {}),
    },
  };
}
