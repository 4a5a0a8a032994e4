/*
 * Kubernetes protobuf request bodies (what kubectl 1.33's typed clients send for built-in kinds),
 * decoded into the JSON objects the server handles. Messages are encoded here by hand, field by
 * field, as gogo-protobuf writes them (empty strings included).
 */
import { call } from '../__testUtils__/http';
import { RBAC_GROUP, ROLE_BINDING_KEY } from '../rbac/rbacTypes';
import { createSandboxStore } from '../store';
import { startApiServer } from './ApiServer';
import { decodeProtobufObject, PROTOBUF_CONTENT_TYPE } from './protobuf';

const varint = (n: number): Buffer => {
  const bytes: number[] = [];
  let v = n;
  while (v > 0x7f) {
    bytes.push((v & 0x7f) | 0x80);
    v = Math.floor(v / 128);
  }
  bytes.push(v);
  return Buffer.from(bytes);
};
/** A length-delimited field: a string, bytes or a nested message. */
const field = (n: number, value: string | Buffer): Buffer => {
  const data = typeof value === 'string' ? Buffer.from(value) : value;
  return Buffer.concat([varint((n << 3) | 2), varint(data.length), data]);
};
const message = (...fields: Buffer[]) => Buffer.concat(fields);
const envelope = (apiVersion: string, kind: string, raw: Buffer) =>
  Buffer.concat([
    Buffer.from([0x6b, 0x38, 0x73, 0x00]),
    field(1, message(field(1, apiVersion), field(2, kind))),
    field(2, raw),
    field(3, ''),
    field(4, ''),
  ]);

describe('protobuf request bodies', () => {
  it('decodes a SelfSubjectAccessReview, leaving out what Go would omit', () => {
    const raw = message(
      field(1, message(field(1, ''), field(2, ''))),
      field(
        2,
        message(
          field(
            1,
            message(
              field(1, 'default'),
              field(2, 'create'),
              field(3, 'marketplace.kratix.io'),
              field(4, ''),
              field(5, 'redis'),
              field(6, ''),
              field(7, ''),
            ),
          ),
        ),
      ),
    );
    expect(
      decodeProtobufObject(
        envelope('authorization.k8s.io/v1', 'SelfSubjectAccessReview', raw),
      ),
    ).toEqual({
      apiVersion: 'authorization.k8s.io/v1',
      kind: 'SelfSubjectAccessReview',
      metadata: {},
      spec: {
        resourceAttributes: {
          namespace: 'default',
          verb: 'create',
          group: 'marketplace.kratix.io',
          resource: 'redis',
        },
      },
    });
  });

  it('decodes repeated fields and maps (a RoleBinding, a SubjectAccessReview’s extra)', () => {
    const labels = (key: string, value: string) =>
      field(11, message(field(1, key), field(2, value)));
    const binding = message(
      field(
        1,
        message(
          field(1, 'team-search'),
          field(3, 'default'),
          labels('team', 'search'),
        ),
      ),
      field(
        2,
        message(field(1, 'Group'), field(2, RBAC_GROUP), field(3, 'g1')),
      ),
      field(2, message(field(1, 'User'), field(2, RBAC_GROUP), field(3, 'u1'))),
      field(3, message(field(1, RBAC_GROUP), field(2, 'Role'), field(3, 'r'))),
    );
    expect(
      decodeProtobufObject(
        envelope(`${RBAC_GROUP}/v1`, 'RoleBinding', binding),
      ),
    ).toEqual({
      apiVersion: `${RBAC_GROUP}/v1`,
      kind: 'RoleBinding',
      metadata: {
        name: 'team-search',
        namespace: 'default',
        labels: { team: 'search' },
      },
      subjects: [
        { kind: 'Group', apiGroup: RBAC_GROUP, name: 'g1' },
        { kind: 'User', apiGroup: RBAC_GROUP, name: 'u1' },
      ],
      roleRef: { apiGroup: RBAC_GROUP, kind: 'Role', name: 'r' },
    });
    const extra = field(
      5,
      message(
        field(1, 'scopes'),
        field(2, message(field(1, 'read'), field(1, 'write'))),
      ),
    );
    const sar = message(
      field(
        2,
        message(field(3, 'dana'), field(4, 'g1'), field(4, 'g2'), extra),
      ),
    );
    expect(
      decodeProtobufObject(
        envelope('authorization.k8s.io/v1', 'SubjectAccessReview', sar),
      ).spec,
    ).toEqual({
      user: 'dana',
      groups: ['g1', 'g2'],
      extra: { scopes: ['read', 'write'] },
    });
  });

  it('decodes a ConfigMap (kubectl create configmap): data as strings, binaryData as base64', () => {
    const entry = (n: number, key: string, value: string | Buffer) =>
      field(n, message(field(1, key), field(2, value)));
    const raw = message(
      field(
        1,
        message(field(1, 'kratix-requests-sync'), field(3, 'flux-system')),
      ),
      entry(2, 'suspend', 'true'),
      entry(2, 'empty', ''),
      entry(3, 'blob', Buffer.from([0xff, 0x00, 0x7f])),
    );
    expect(decodeProtobufObject(envelope('v1', 'ConfigMap', raw))).toEqual({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'kratix-requests-sync', namespace: 'flux-system' },
      data: { suspend: 'true', empty: '' },
      binaryData: { blob: '/wB/' },
    });
  });

  it('refuses kinds it cannot decode (415) and bodies that are not protobuf (400)', () => {
    expect(() =>
      decodeProtobufObject(envelope('apps/v1', 'Deployment', Buffer.alloc(0))),
    ).toThrow(
      expect.objectContaining({
        code: 415,
        reason: 'UnsupportedMediaType',
      }),
    );
    expect(() => decodeProtobufObject(Buffer.from('{}'))).toThrow(
      expect.objectContaining({ code: 400 }),
    );
  });

  it('stores a protobuf-encoded RoleBinding created over HTTP', async () => {
    const store = createSandboxStore();
    const server = await startApiServer({ store, tls: false, token: 't' });
    try {
      const body = envelope(
        `${RBAC_GROUP}/v1`,
        'RoleBinding',
        message(
          field(1, message(field(1, 'viewers'), field(3, 'default'))),
          field(2, message(field(1, 'Group'), field(2, ''), field(3, 'g'))),
          field(
            3,
            message(
              field(1, RBAC_GROUP),
              field(2, 'ClusterRole'),
              field(3, 'view'),
            ),
          ),
        ),
      );
      const reply = await call(
        server.url,
        'POST',
        `/apis/${RBAC_GROUP}/v1/namespaces/default/rolebindings`,
        {
          token: 't',
          body,
          headers: {
            'Content-Type': PROTOBUF_CONTENT_TYPE,
            Accept: `${PROTOBUF_CONTENT_TYPE},application/json`,
          },
        },
      );
      expect(reply.status).toBe(201);
      expect(reply.headers['content-type']).toBe('application/json');
      expect(store.get(ROLE_BINDING_KEY, 'default', 'viewers')).toMatchObject({
        subjects: [{ kind: 'Group', apiGroup: RBAC_GROUP, name: 'g' }],
        roleRef: { kind: 'ClusterRole', name: 'view' },
      });
    } finally {
      await server.close();
    }
  });
});
