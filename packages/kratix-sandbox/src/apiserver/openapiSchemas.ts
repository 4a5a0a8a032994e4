/*
 * The schemas the OpenAPI documents publish for each served kind, shaped as the apiserver
 * publishes CRDs: named by reverse-DNS group (`io.kratix.platform.v1alpha1.Work`), tagged with
 * `x-kubernetes-group-version-kind` (how kubectl explain finds a kind's schema), with apiVersion,
 * kind and a metadata reference to ObjectMeta filled in, and a `<Kind>List` beside each kind.
 * Built-in kinds have no field schema in the sandbox, so they get those common fields only.
 */
import type { ResourceType } from '../store/types';

export type Schema = Record<string, unknown>;

/** Where the apiserver's own kinds live in its definition names. */
const BUILTIN_PREFIXES: Record<string, string> = {
  '': 'io.k8s.api.core',
  batch: 'io.k8s.api.batch',
  'apiextensions.k8s.io':
    'io.k8s.apiextensions-apiserver.pkg.apis.apiextensions',
};
const META = 'io.k8s.apimachinery.pkg.apis.meta.v1';
export const OBJECT_META = `${META}.ObjectMeta`;
export const LIST_META = `${META}.ListMeta`;
export const STATUS = `${META}.Status`;

/** `platform.kratix.io` → `io.kratix.platform`. */
function groupPrefix(group: string): string {
  return BUILTIN_PREFIXES[group] ?? group.split('.').reverse().join('.');
}

export function definitionName(
  type: ResourceType,
  version: string,
  list = false,
): string {
  const kind = list ? type.listKind : type.kind;
  return `${groupPrefix(type.group)}.${version}.${kind}`;
}

export function gvkOf(type: ResourceType, version: string, list = false) {
  return {
    group: type.group,
    kind: list ? type.listKind : type.kind,
    version,
  };
}

const API_VERSION = {
  type: 'string',
  description:
    'The versioned schema of this representation of an object: servers convert recognized schemas to the latest internal value, and may reject unrecognized values.',
};
const KIND = {
  type: 'string',
  description:
    'The REST resource this object represents, in CamelCase. Servers may infer it from the endpoint the client submits requests to; it cannot be updated.',
};

/** A kind's schema with the fields every object has, as the CRD OpenAPI builder adds them. */
export function kindSchema(
  type: ResourceType,
  version: string,
  ref: (name: string) => string,
): Schema {
  const given = type.schemas?.[version];
  const schema: Schema = given
    ? structuredClone(given)
    : {
        type: 'object',
        description: `${type.kind} (a built-in kind: the sandbox publishes its common fields only).`,
      };
  const properties = { ...((schema.properties as Schema) ?? {}) };
  properties.apiVersion = { ...API_VERSION, ...(properties.apiVersion as {}) };
  properties.kind = { ...KIND, ...(properties.kind as {}) };
  // What a CRD declares about metadata is replaced by ObjectMeta, as the apiserver does.
  properties.metadata = {
    description: "Standard object's metadata.",
    allOf: [{ $ref: ref(OBJECT_META) }],
  };
  return {
    ...schema,
    type: 'object',
    properties,
    'x-kubernetes-group-version-kind': [gvkOf(type, version)],
  };
}

export function listSchema(
  type: ResourceType,
  version: string,
  ref: (name: string) => string,
): Schema {
  return {
    type: 'object',
    description: `${type.listKind} is a list of ${type.kind}`,
    required: ['items'],
    properties: {
      apiVersion: API_VERSION,
      kind: KIND,
      items: {
        type: 'array',
        description: `List of ${type.plural}.`,
        items: { $ref: ref(definitionName(type, version)) },
      },
      metadata: {
        description: 'Standard list metadata.',
        allOf: [{ $ref: ref(LIST_META) }],
      },
    },
    'x-kubernetes-group-version-kind': [gvkOf(type, version, true)],
  };
}

const STRING = { type: 'string' };
const STRING_MAP = { type: 'object', additionalProperties: STRING };
const TIME = { type: 'string', format: 'date-time' };

/** The metav1 types the kinds refer to, trimmed to the fields the sandbox keeps. */
export function metaSchemas(): Record<string, Schema> {
  return {
    [OBJECT_META]: {
      type: 'object',
      description:
        'Metadata all persisted resources have, including objects users create.',
      properties: {
        name: { ...STRING, description: 'Unique within a namespace.' },
        generateName: {
          ...STRING,
          description:
            'Prefix for a server-generated name, used when name is empty.',
        },
        namespace: {
          ...STRING,
          description:
            'The namespace the object lives in (empty for cluster-scoped kinds).',
        },
        uid: {
          ...STRING,
          description: 'Unique in time and space; set by the server.',
        },
        resourceVersion: {
          ...STRING,
          description:
            'Opaque version of the object, for concurrency control and watches.',
        },
        generation: {
          type: 'integer',
          format: 'int64',
          description:
            'Sequence number of the desired state; set by the server.',
        },
        creationTimestamp: {
          ...TIME,
          description: 'When the object was created.',
        },
        deletionTimestamp: {
          ...TIME,
          description:
            'When the object will be deleted, once its finalizers are gone.',
        },
        labels: {
          ...STRING_MAP,
          description: 'Keys and values to select objects by.',
        },
        annotations: {
          ...STRING_MAP,
          description:
            'Unstructured keys and values tools store on the object.',
        },
        finalizers: {
          type: 'array',
          items: STRING,
          description:
            'Must be empty before the object is deleted from the registry.',
        },
        ownerReferences: {
          type: 'array',
          description: 'Objects this object depends on.',
          items: {
            type: 'object',
            required: ['apiVersion', 'kind', 'name', 'uid'],
            properties: {
              apiVersion: STRING,
              kind: STRING,
              name: STRING,
              uid: STRING,
              controller: { type: 'boolean' },
              blockOwnerDeletion: { type: 'boolean' },
            },
          },
        },
      },
    },
    [LIST_META]: {
      type: 'object',
      description: 'Metadata of a list.',
      properties: {
        resourceVersion: STRING,
        continue: STRING,
        remainingItemCount: { type: 'integer', format: 'int64' },
      },
    },
    [STATUS]: {
      type: 'object',
      description: 'The answer to a call that returns no other object.',
      properties: {
        apiVersion: STRING,
        kind: STRING,
        status: STRING,
        message: STRING,
        reason: STRING,
        code: { type: 'integer', format: 'int32' },
        details: { type: 'object' },
      },
      'x-kubernetes-group-version-kind': [
        { group: '', kind: 'Status', version: 'v1' },
      ],
    },
  };
}
