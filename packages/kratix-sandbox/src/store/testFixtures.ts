/* Shared by the store and apiserver tests: a Kratix-style marketplace CRD and a fresh store. */
import { createSandboxStore } from './index';
import type { KubeObject, TypeKey } from './types';
import type { ObjectStoreOptions } from './ObjectStore';

export const REDIS: TypeKey = {
  group: 'marketplace.kratix.io',
  plural: 'redis',
};

export const REDIS_SCHEMA = {
  type: 'object',
  properties: {
    apiVersion: { type: 'string' },
    kind: { type: 'string' },
    metadata: {
      type: 'object',
      properties: { name: { type: 'string', maxLength: 63 } },
    },
    spec: {
      type: 'object',
      properties: {
        size: { type: 'string', enum: ['small', 'large'], default: 'small' },
        replicas: { type: 'integer', minimum: 1, default: 1 },
        config: {
          type: 'object',
          'x-kubernetes-preserve-unknown-fields': true,
        },
        port: { 'x-kubernetes-int-or-string': true },
        owner: { type: 'string', nullable: true },
        users: {
          type: 'array',
          items: {
            type: 'object',
            required: ['name'],
            properties: {
              name: { type: 'string', minLength: 1 },
              admin: { type: 'boolean', default: false },
            },
          },
        },
      },
    },
    status: {
      type: 'object',
      'x-kubernetes-preserve-unknown-fields': true,
      properties: { message: { type: 'string' } },
    },
  },
};

/** A CRD shaped like the ones Kratix generates from a Promise's api (lower-case kind). */
export function redisCrd(extra: Record<string, unknown> = {}): KubeObject {
  return {
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: { name: 'redis.marketplace.kratix.io' },
    spec: {
      group: 'marketplace.kratix.io',
      scope: 'Namespaced',
      names: {
        kind: 'redis',
        plural: 'redis',
        singular: 'redis',
        listKind: 'redisList',
        categories: ['kratix'],
      },
      versions: [
        {
          name: 'v1alpha1',
          served: true,
          storage: true,
          schema: { openAPIV3Schema: REDIS_SCHEMA },
          subresources: { status: {} },
          additionalPrinterColumns: [
            { name: 'MESSAGE', type: 'string', jsonPath: '.status.message' },
            {
              name: 'STATUS',
              type: 'string',
              jsonPath: '.status.conditions[?(@.type=="Reconciled")].message',
            },
          ],
        },
      ],
      ...extra,
    },
  };
}

export function redis(
  name: string,
  spec: Record<string, unknown> = {},
  namespace = 'default',
): KubeObject {
  return {
    apiVersion: 'marketplace.kratix.io/v1alpha1',
    kind: 'redis',
    metadata: { name, namespace },
    spec,
  };
}

export function storeWithRedis(options: ObjectStoreOptions = {}) {
  const store = createSandboxStore(options);
  store.create(
    { group: 'apiextensions.k8s.io', plural: 'customresourcedefinitions' },
    redisCrd(),
  );
  return store;
}
