/*
 * A software template per Promise, generated from its schema: the first page asks for the entity the
 * Resource is for (the user's own entities) and the Resource's name and namespace, the second for
 * its spec; the step calls `kratix:resource:create`, which waits for the Resource by default.
 * Names and the `objname` / `objnamespace` / `spec` parameters follow Syntasso's portal.
 * The name is the frontend plugin's `KratixResourceNameField`: it states the naming rule in words,
 * asks the backend (a dry run) whether the name is taken, and refuses to go on while the Promise is
 * Unavailable; an Unavailable Promise's template also says so in its title, description and tags.
 */
import type { Entity } from '@backstage/catalog-model';
import {
  KRATIX_CLUSTER_ANNOTATION,
  SKE_ANNOTATION,
  isPromiseUnavailable,
  promiseUnavailableReason,
  specFormSchema,
  type KratixPromiseView,
} from '@kratix-backstage/plugin-kratix-common';
import type { JsonObject } from '@backstage/types';
import { locationAnnotations } from './location';
import { templateEntityName, type NamingContext } from './names';

/** The scaffolder action the templates call (plugin-scaffolder-backend-module-kratix). */
export const CREATE_ACTION = 'kratix:resource:create';

/** Kubernetes namespaces (DNS-1123 label). */
const NAMESPACE_PATTERN = '^[a-z0-9]([-a-z0-9]*[a-z0-9])?$';

/** The frontend plugin's field for a Resource's name (plugins/kratix ResourceNameField). */
export const RESOURCE_NAME_FIELD = 'KratixResourceNameField';

/** The kinds that own a request by default: the entities whose Kratix tab shows what they requested. */
export const DEFAULT_OWNER_KINDS = ['Component'];

export interface TemplateEntityInput {
  naming: NamingContext;
  promise: KratixPromiseView;
  owner: string;
  system?: string;
  /** The kinds the entity picker offers as the owner of a request (default: Component). */
  ownerKinds?: string[];
}

/** The template's parameter pages (JSON schema, as the scaffolder's form renders them). */
export function templateParameters(
  promise: KratixPromiseView,
  ownerKinds: string[] = DEFAULT_OWNER_KINDS,
): JsonObject[] {
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
            catalogFilter: [{ kind: ownerKinds }],
            defaultKind: ownerKinds[0],
          },
        },
        objname: {
          title: 'Name',
          type: 'string',
          description: `Name of the ${promise.kind} in the platform cluster`,
          // The field states the naming rule in words and checks the name is free; no raw pattern.
          'ui:field': RESOURCE_NAME_FIELD,
          'ui:options': {
            promise: promise.name,
            cluster: promise.cluster,
            namespaceField: 'objnamespace',
            entityRefField: 'entityRef',
            specField: 'spec',
          },
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
  const unavailable = isPromiseUnavailable(promise);
  const description =
    promise.description ??
    `Request a ${promise.kind} from the ${promise.name} Promise`;
  return {
    apiVersion: 'scaffolder.backstage.io/v1beta3',
    kind: 'Template',
    metadata: {
      namespace: naming.namespace,
      name: templateEntityName(naming, promise),
      title: unavailable ? `${promise.kind} (Unavailable)` : promise.kind,
      description: unavailable
        ? `Unavailable: ${promiseUnavailableReason(
            promise,
          )}. It cannot be requested until the platform team makes the ${
            promise.name
          } Promise Available. ${description}`
        : description,
      tags: ['kratix', promise.name, ...(unavailable ? ['unavailable'] : [])],
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
      parameters: templateParameters(promise, input.ownerKinds),
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
