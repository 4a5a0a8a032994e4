import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import type { KubeObject } from '../../store/types';
import {
  configurePipelines,
  generateCrd,
  getPromiseApi,
  promiseApiVersion,
} from './promiseApi';

const seed = (file: string) =>
  parse(
    fs.readFileSync(
      path.resolve(__dirname, '../../../seed/promises', file),
      'utf8',
    ),
  ) as KubeObject;

describe('promiseApi', () => {
  it('derives the Resource API from spec.api (storage version, lower-case apiVersion)', () => {
    const api = getPromiseApi(seed('redis.yaml'))!;
    expect(api).toEqual({
      crdName: 'redis.marketplace.kratix.io',
      group: 'marketplace.kratix.io',
      version: 'v1alpha1',
      kind: 'redis',
      plural: 'redis',
    });
    expect(
      promiseApiVersion({ ...api, group: 'Example.IO', version: 'V1' }),
    ).toBe('example.io/v1');
  });

  it('generates the CRD the way Kratix does', () => {
    const crd = generateCrd(seed('redis.yaml')) as any;
    expect(crd.metadata.labels).toEqual({ 'kratix.io/promise-name': 'redis' });
    const version = crd.spec.versions[0];
    expect(version.subresources).toEqual({ status: {} });
    expect(version.additionalPrinterColumns).toEqual([
      { name: 'message', type: 'string', jsonPath: '.status.message' },
      {
        name: 'status',
        type: 'string',
        jsonPath: '.status.conditions[?(@.type=="Reconciled")].message',
      },
    ]);
    const status = version.schema.openAPIV3Schema.properties.status;
    expect(status['x-kubernetes-preserve-unknown-fields']).toBe(true);
    expect(Object.keys(status.properties).sort()).toEqual(
      [
        'conditions',
        'kratix',
        'message',
        'observedGeneration',
        'workflows',
        'workflowsFailed',
        'workflowsSucceeded',
      ].sort(),
    );
    expect(
      version.schema.openAPIV3Schema.properties.metadata.properties.name,
    ).toEqual({ type: 'string', maxLength: 63 });
    // spec schema untouched
    expect(
      version.schema.openAPIV3Schema.properties.spec.properties.size.pattern,
    ).toBe('^(small|large)$');
  });

  it('keeps user printer columns and uses the single legacy STATUS column for legacy Promises', () => {
    const promise = seed('redis.yaml') as any;
    promise.spec.api.spec.versions[0].additionalPrinterColumns = [
      { name: 'Size', type: 'string', jsonPath: '.spec.size' },
    ];
    expect(
      (generateCrd(promise) as any).spec.versions[0].additionalPrinterColumns,
    ).toEqual([{ name: 'Size', type: 'string', jsonPath: '.spec.size' }]);
    const legacy = generateCrd(seed('elastic-cloud.yaml')) as any;
    expect(legacy.spec.versions[0].additionalPrinterColumns).toEqual([
      { name: 'status', type: 'string', jsonPath: '.status.message' },
    ]);
  });

  it('lists configure pipelines in order', () => {
    expect(
      configurePipelines(seed('redis.yaml'), 'resource').map(p => [
        p.name,
        p.containers[0].image,
      ]),
    ).toEqual([
      [
        'instance-configure',
        'ghcr.io/syntasso/kratix-marketplace/redis-configure-pipeline:v0.1.0',
      ],
    ]);
    expect(configurePipelines(seed('team-database.yaml'), 'promise')).toEqual(
      [],
    );
  });
});
