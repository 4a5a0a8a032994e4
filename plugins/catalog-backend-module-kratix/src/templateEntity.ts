/*
 * A software template per Promise, generated from its schema: the first page asks for the entity the
 * Resource is for (the user's own entities) and the Resource's name and namespace, the second for
 * its spec; the step calls `kratix:resource:create`, which waits for the Resource by default.
 * Names and the `objname` / `objnamespace` / `spec` parameters follow Syntasso's portal.
 */
import type { Entity } from '@backstage/catalog-model';
import {
  KRATIX_CLUSTER_ANNOTATION,
  SKE_ANNOTATION,
  specFormSchema,
  type KratixPromiseView,
} from '@kratix-backstage/plugin-kratix-common';
import type { JsonObject } from '@backstage/types';
import { locationAnnotations } from './location';
import { templateEntityName, type NamingContext } from './names';

/** The scaffolder action the templates call (plugin-scaffolder-backend-module-kratix). */
export const CREATE_ACTION = 'kratix:resource:create';

/** Kubernetes object names (DNS-1123 subdomain) and namespaces (DNS-1123 label). */
const NAME_PATTERN =
  '^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$';
const NAMESPACE_PATTERN = '^[a-z0-9]([-a-z0-9]*[a-z0-9])?$';

export interface TemplateEntityInput {
  naming: NamingContext;
  promise: KratixPromiseView;
  owner: string;
  system?: string;
}

/** The template's parameter pages (JSON schema, as the scaffolder's form renders them). */
export function templateParameters(promise: KratixPromiseView): JsonObject[] {
  const spec = specFormSchema(promise.schema, promise.kind);
  return [
    {
      title: `${promise.kind} Instance Metadata`,
      required: ['entityRef', 'objname', 'objnamespace'],
      properties: {
        entityRef: {
          title: 'For',
          type: 'string',
          description:
            'The entity this Resource belongs to: one of yours (its owners can see the Resource)',
          'ui:field': 'OwnedEntityPicker',
          'ui:options': {
            catalogFilter: [{ kind: ['Component', 'System', 'API'] }],
            defaultKind: 'Component',
          },
        },
        objname: {
          title: 'Name',
          type: 'string',
          description: `Name of the ${promise.kind} in the platform cluster`,
          pattern: NAME_PATTERN,
          maxLength: 63,
          'ui:autofocus': true,
        },
        objnamespace: {
          title: 'Namespace',
          type: 'string',
          description: 'Namespace of the request in the platform cluster',
          default: 'default',
          pattern: NAMESPACE_PATTERN,
          maxLength: 63,
        },
      },
    },
    {
      title: spec.schema.title as string,
      ...(spec.required ? { required: ['spec'] } : {}),
      properties: { spec: spec.schema },
    },
  ];
}

export function templateEntity(input: TemplateEntityInput): Entity {
  const { naming, promise } = input;
  return {
    apiVersion: 'scaffolder.backstage.io/v1beta3',
    kind: 'Template',
    metadata: {
      namespace: naming.namespace,
      name: templateEntityName(naming, promise),
      title: promise.kind,
      description:
        promise.description ??
        `Request a ${promise.kind} from the ${promise.name} Promise`,
      tags: ['kratix', promise.name],
      annotations: {
        ...locationAnnotations(naming.cluster),
        [SKE_ANNOTATION.promiseName]: promise.name,
        [KRATIX_CLUSTER_ANNOTATION]: naming.cluster,
      },
    },
    spec: {
      type: 'kratix-resource',
      lifecycle: 'production',
      owner: input.owner,
      ...(input.system ? { system: input.system } : {}),
      parameters: templateParameters(promise),
      steps: [
        {
          id: 'create',
          name: `Request ${promise.kind}`,
          action: CREATE_ACTION,
          input: {
            cluster: naming.cluster,
            promise: promise.name,
            name: '${{ parameters.objname }}',
            namespace: '${{ parameters.objnamespace }}',
            spec: '${{ parameters.spec }}',
            entityRef: '${{ parameters.entityRef }}',
          },
        },
      ],
      output: {
        links: [
          {
            title: 'Open the entity',
            icon: 'catalog',
            entityRef: '${{ parameters.entityRef }}',
          },
          {
            title: 'Open the Resource',
            url: '${{ steps.create.output.entityUrl }}',
          },
        ],
        text: [
          {
            title: 'Status',
            content: '${{ steps.create.output.message }}',
          },
        ],
      },
    },
  };
}
