/*
 * Request bodies in Kubernetes' protobuf encoding (`application/vnd.kubernetes.protobuf`), which
 * kubectl 1.33's typed clients send for built-in kinds: `kubectl auth can-i` (SelfSubjectAccessReview,
 * SelfSubjectRulesReview), `auth whoami`, `create role/rolebinding/...`, `create namespace`, `create
 * configmap`. The body
 * is the magic `k8s\0` and a runtime.Unknown {typeMeta, raw}; `raw` is the kind's message, decoded
 * here by field number (k8s.io/api generated.proto) into the JSON object the rest of the server
 * handles, with Go's omitempty (empty strings, zero numbers and times left out). Only the kinds
 * listed are understood; answers stay JSON (clients send Accept: protobuf, json).
 */
import { badRequest, KubeApiError } from '../store/errors';
import type { KubeObject } from '../store/types';

export const PROTOBUF_CONTENT_TYPE = 'application/vnd.kubernetes.protobuf';
const MAGIC = Buffer.from([0x6b, 0x38, 0x73, 0x00]);

type Scalar = 'string' | 'bytes' | 'int' | 'bool' | 'time';
interface Field {
  name: string;
  type: Scalar | Message;
  repeated?: boolean;
  /** map<string, value>: repeated entries {key = 1, value = 2}. */
  map?: boolean;
}
type Message = { [field: number]: Field };

const str = (name: string): Field => ({ name, type: 'string' });
const strs = (name: string): Field => ({
  name,
  type: 'string',
  repeated: true,
});
const msg = (name: string, type: Message, repeated = false): Field => ({
  name,
  type,
  repeated,
});
const stringMap = (name: string): Field => ({
  name,
  type: 'string',
  map: true,
});
/** map<string, bytes>: the values base64-encoded, as Go's encoding/json writes []byte. */
const bytesMap = (name: string): Field => ({ name, type: 'bytes', map: true });

// k8s.io/apimachinery/pkg/apis/meta/v1
const OWNER_REFERENCE: Message = {
  1: str('kind'),
  3: str('name'),
  4: str('uid'),
  5: str('apiVersion'),
  6: { name: 'controller', type: 'bool' },
  7: { name: 'blockOwnerDeletion', type: 'bool' },
};
const OBJECT_META: Message = {
  1: str('name'),
  2: str('generateName'),
  3: str('namespace'),
  5: str('uid'),
  6: str('resourceVersion'),
  7: { name: 'generation', type: 'int' },
  8: { name: 'creationTimestamp', type: 'time' },
  11: stringMap('labels'),
  12: stringMap('annotations'),
  13: msg('ownerReferences', OWNER_REFERENCE, true),
  14: strs('finalizers'),
};
const LABEL_SELECTOR: Message = {
  1: stringMap('matchLabels'),
  2: msg(
    'matchExpressions',
    { 1: str('key'), 2: str('operator'), 3: strs('values') },
    true,
  ),
};

// k8s.io/api/rbac/v1
const POLICY_RULE: Message = {
  1: strs('verbs'),
  2: strs('apiGroups'),
  3: strs('resources'),
  4: strs('resourceNames'),
  5: strs('nonResourceURLs'),
};
const ROLE: Message = {
  1: msg('metadata', OBJECT_META),
  2: msg('rules', POLICY_RULE, true),
};
const CLUSTER_ROLE: Message = {
  ...ROLE,
  3: msg('aggregationRule', {
    1: msg('clusterRoleSelectors', LABEL_SELECTOR, true),
  }),
};
const BINDING: Message = {
  1: msg('metadata', OBJECT_META),
  2: msg(
    'subjects',
    { 1: str('kind'), 2: str('apiGroup'), 3: str('name'), 4: str('namespace') },
    true,
  ),
  3: msg('roleRef', { 1: str('apiGroup'), 2: str('kind'), 3: str('name') }),
};

// k8s.io/api/authorization/v1
const RESOURCE_ATTRIBUTES: Message = {
  1: str('namespace'),
  2: str('verb'),
  3: str('group'),
  4: str('version'),
  5: str('resource'),
  6: str('subresource'),
  7: str('name'),
};
const NON_RESOURCE_ATTRIBUTES: Message = { 1: str('path'), 2: str('verb') };
const SUBJECT_ACCESS_REVIEW: Message = {
  1: msg('metadata', OBJECT_META),
  2: msg('spec', {
    1: msg('resourceAttributes', RESOURCE_ATTRIBUTES),
    2: msg('nonResourceAttributes', NON_RESOURCE_ATTRIBUTES),
    3: str('user'),
    4: strs('groups'),
    5: { name: 'extra', type: { 1: strs('items') }, map: true },
    6: str('uid'),
  }),
};
const SELF_SUBJECT_ACCESS_REVIEW: Message = {
  1: msg('metadata', OBJECT_META),
  2: msg('spec', {
    1: msg('resourceAttributes', RESOURCE_ATTRIBUTES),
    2: msg('nonResourceAttributes', NON_RESOURCE_ATTRIBUTES),
  }),
};

/** The kinds understood, by `group/version kind` (the envelope's TypeMeta). */
const KINDS: Record<string, Message> = {
  'v1 Namespace': {
    1: msg('metadata', OBJECT_META),
    2: msg('spec', { 1: strs('finalizers') }),
  },
  'v1 ConfigMap': {
    1: msg('metadata', OBJECT_META),
    2: stringMap('data'),
    3: bytesMap('binaryData'),
    4: { name: 'immutable', type: 'bool' },
  },
  'rbac.authorization.k8s.io/v1 Role': ROLE,
  'rbac.authorization.k8s.io/v1 ClusterRole': CLUSTER_ROLE,
  'rbac.authorization.k8s.io/v1 RoleBinding': BINDING,
  'rbac.authorization.k8s.io/v1 ClusterRoleBinding': BINDING,
  'authorization.k8s.io/v1 SubjectAccessReview': SUBJECT_ACCESS_REVIEW,
  'authorization.k8s.io/v1 LocalSubjectAccessReview': SUBJECT_ACCESS_REVIEW,
  'authorization.k8s.io/v1 SelfSubjectAccessReview': SELF_SUBJECT_ACCESS_REVIEW,
  'authorization.k8s.io/v1 SelfSubjectRulesReview': {
    1: msg('metadata', OBJECT_META),
    2: msg('spec', { 1: str('namespace') }),
  },
  'authentication.k8s.io/v1 SelfSubjectReview': {
    1: msg('metadata', OBJECT_META),
  },
  'authentication.k8s.io/v1beta1 SelfSubjectReview': {
    1: msg('metadata', OBJECT_META),
  },
};

const UNKNOWN: Message = {
  1: msg('typeMeta', { 1: str('apiVersion'), 2: str('kind') }),
  2: { name: 'raw', type: 'bytes' },
  3: str('contentEncoding'),
  4: str('contentType'),
};

const malformed = () =>
  badRequest('the object provided is unrecognized: malformed protobuf');

class Reader {
  pos = 0;
  constructor(private readonly buf: Buffer) {}
  get done() {
    return this.pos >= this.buf.length;
  }
  varint(): bigint {
    let result = 0n;
    let shift = 0n;
    for (;;) {
      if (this.pos >= this.buf.length) throw malformed();
      const byte = this.buf[this.pos++];
      result |= BigInt(byte & 0x7f) << shift;
      if (!(byte & 0x80)) return result;
      shift += 7n;
      if (shift > 63n) throw malformed();
    }
  }
  bytes(): Buffer {
    const length = Number(this.varint());
    if (this.pos + length > this.buf.length) throw malformed();
    const out = this.buf.subarray(this.pos, this.pos + length);
    this.pos += length;
    return out;
  }
  skip(wireType: number): void {
    if (wireType === 0) this.varint();
    else if (wireType === 1) this.pos += 8;
    else if (wireType === 2) this.bytes();
    else if (wireType === 5) this.pos += 4;
    else throw malformed();
    if (this.pos > this.buf.length) throw malformed();
  }
}

/** int64 as a JSON number (two's complement for negatives). */
const toNumber = (value: bigint) => Number(BigInt.asIntN(64, value));

function decodeScalar(type: Scalar, reader: Reader, wireType: number): unknown {
  if (type === 'string') return reader.bytes().toString('utf8');
  if (type === 'bytes') return Buffer.from(reader.bytes());
  if (type === 'time') {
    const time = decodeMessage(
      {
        1: { name: 'seconds', type: 'int' },
        2: { name: 'nanos', type: 'int' },
      },
      reader.bytes(),
    ) as { seconds?: number; nanos?: number };
    if (!time.seconds && !time.nanos) return undefined;
    return new Date((time.seconds ?? 0) * 1000)
      .toISOString()
      .replace(/\.\d{3}Z$/, 'Z');
  }
  if (wireType !== 0) throw malformed();
  const value = reader.varint();
  return type === 'bool' ? value !== 0n : toNumber(value);
}

/** Go's omitempty: what encoding/json would leave out. */
const isEmpty = (value: unknown) =>
  value === undefined ||
  value === '' ||
  value === 0 ||
  value === false ||
  (typeof value === 'object' &&
    value !== null &&
    !Buffer.isBuffer(value) &&
    !Array.isArray(value) &&
    Object.keys(value).length === 0);

function decodeMessage(message: Message, buf: Buffer): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const reader = new Reader(buf);
  while (!reader.done) {
    const key = Number(reader.varint());
    const fieldNumber = key >>> 3;
    const wireType = key & 7;
    const field = message[fieldNumber];
    if (!field) {
      reader.skip(wireType);
      continue;
    }
    if (field.map) {
      const entry = decodeMessage(
        { 1: str('key'), 2: { name: 'value', type: field.type } },
        reader.bytes(),
      );
      const map = (out[field.name] ??= {}) as Record<string, unknown>;
      let value: unknown;
      if (typeof field.type === 'object') value = entry.value ?? {};
      else if (field.type === 'bytes')
        value = (
          (entry.value as Buffer | undefined) ?? Buffer.alloc(0)
        ).toString('base64');
      else value = entry.value ?? '';
      map[String(entry.key ?? '')] =
        typeof field.type === 'object' && field.type[1]?.name === 'items'
          ? (value as { items?: unknown[] }).items ?? []
          : value;
      continue;
    }
    let value: unknown;
    if (typeof field.type === 'object') {
      if (wireType !== 2) throw malformed();
      value = decodeMessage(field.type, reader.bytes());
    } else if (field.repeated && field.type === 'string') {
      value = reader.bytes().toString('utf8');
    } else {
      value = decodeScalar(field.type, reader, wireType);
    }
    if (field.repeated) {
      ((out[field.name] ??= []) as unknown[]).push(value);
    } else if (!isEmpty(value)) {
      out[field.name] = value;
    } else {
      delete out[field.name];
    }
  }
  return out;
}

export function isProtobuf(contentType: string): boolean {
  return (
    contentType.split(';')[0].trim().toLowerCase() === PROTOBUF_CONTENT_TYPE
  );
}

/** The object a protobuf request body carries, or a 415 for a kind the sandbox cannot decode. */
export function decodeProtobufObject(body: Buffer): KubeObject {
  if (body.length < MAGIC.length || !body.subarray(0, 4).equals(MAGIC)) {
    throw badRequest(
      'the object provided is unrecognized: provided data does not appear to be a protobuf message, expected prefix [107 56 115 0]',
    );
  }
  const unknown = decodeMessage(UNKNOWN, body.subarray(4)) as {
    typeMeta?: { apiVersion?: string; kind?: string };
    raw?: Buffer;
  };
  const apiVersion = unknown.typeMeta?.apiVersion ?? '';
  const kind = unknown.typeMeta?.kind ?? '';
  const message = KINDS[`${apiVersion} ${kind}`];
  if (!message) {
    throw new KubeApiError(
      415,
      'UnsupportedMediaType',
      `the body of the request was in an unknown format - accepted media types include: application/json, application/yaml (the sandbox decodes protobuf only for ${Object.keys(
        KINDS,
      ).join(', ')}; got ${apiVersion} ${kind})`,
      {},
    );
  }
  const object = decodeMessage(message, unknown.raw ?? Buffer.alloc(0));
  return {
    apiVersion,
    kind,
    ...object,
    metadata: (object.metadata ?? {}) as KubeObject['metadata'],
  } as KubeObject;
}
