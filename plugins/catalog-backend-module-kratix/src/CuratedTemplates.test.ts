/*
 * Which Promises curated templates request: the example templates (read as the catalog holds them)
 * through the catalog service's in-memory implementation, with the provider's own generated ones
 * and templates that name no Promise literally left out.
 */
import { mockServices } from '@backstage/backend-test-utils';
import type { Entity } from '@backstage/catalog-model';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import type { KratixPromiseView } from '@kratix-backstage/plugin-kratix-common';
import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { CuratedTemplates, curatedKeysOf } from './CuratedTemplates';
import { templateEntity } from './templateEntity';

const example = (file: string): Entity => {
  const entity = parse(
    fs.readFileSync(
      path.resolve(__dirname, '../../../examples/templates', file),
      'utf8',
    ),
  );
  entity.metadata.namespace = 'default';
  return entity;
};

const view = (name: string, kind: string, cluster = 'sandbox') =>
  ({
    cluster,
    name,
    kind,
    group: 'example.com',
    version: 'v1',
    plural: `${kind.toLowerCase()}s`,
    conditions: [],
  } as KratixPromiseView);

const template = (
  name: string,
  input: Record<string, string>,
  annotations?: Record<string, string>,
): Entity => ({
  apiVersion: 'scaffolder.backstage.io/v1beta3',
  kind: 'Template',
  metadata: { name, namespace: 'default', annotations },
  spec: {
    type: 'service',
    steps: [{ id: 'create', action: 'kratix:resource:create', input }],
  },
});

describe('CuratedTemplates', () => {
  const lookup = (entities: Entity[]) =>
    new CuratedTemplates(
      catalogServiceMock({ entities }),
      mockServices.auth(),
      mockServices.logger.mock(),
      { namespace: 'kratix', defaultCluster: 'sandbox' },
    );

  it('finds the Promises the example templates request, on the default cluster', async () => {
    const curated = await lookup([
      example('redis.yaml'),
      example('elastic-cloud.yaml'),
    ]).curatedPromises();
    expect(curated(view('redis', 'redis'))).toBe(true);
    expect(curated(view('elastic-cloud', 'elastic-cloud'))).toBe(true);
    expect(curated(view('jenkins', 'jenkins'))).toBe(false);
    // The same Promise on another cluster has no curated template.
    expect(curated(view('redis', 'redis', 'other'))).toBe(false);
  });

  it("ignores the provider's own templates and templates whose Promise is an expression", async () => {
    const generated = templateEntity({
      naming: {
        cluster: 'sandbox',
        namespace: 'kratix',
        primaryCluster: 'sandbox',
      },
      promise: view('jenkins', 'jenkins'),
      owner: 'group:default/kratix-platform',
    });
    const curated = await lookup([
      generated,
      template('any-promise', { promise: '${{ parameters.promise }}' }),
    ]).curatedPromises();
    expect(curated(view('jenkins', 'jenkins'))).toBe(false);
  });

  it('matches a Promise by kind, an explicit cluster, and the annotation', async () => {
    const curated = await lookup([
      template('by-kind', { promise: 'TeamDatabase' }),
      template('on-other', { promise: 'queue', cluster: 'other' }),
      template(
        'gitops',
        { promise: '${{ parameters.p }}' },
        { 'kratix.backstage.io/promise': 'postgresql' },
      ),
    ]).curatedPromises();
    expect(curated(view('team-database', 'TeamDatabase'))).toBe(true);
    expect(curated(view('queue', 'Queue', 'other'))).toBe(true);
    expect(curated(view('queue', 'Queue'))).toBe(false);
    expect(curated(view('postgresql', 'Postgres'))).toBe(true);
  });

  it('keeps the last answer when the catalog cannot be read', async () => {
    const catalog = catalogServiceMock.mock();
    catalog.getEntities
      .mockResolvedValueOnce({ items: [example('redis.yaml')] })
      .mockRejectedValueOnce(new Error('catalog not serving'));
    const logger = mockServices.logger.mock();
    const curated = new CuratedTemplates(catalog, mockServices.auth(), logger, {
      namespace: 'kratix',
      defaultCluster: 'sandbox',
    });
    expect((await curated.curatedPromises())(view('redis', 'redis'))).toBe(
      true,
    );
    expect((await curated.curatedPromises())(view('redis', 'redis'))).toBe(
      true,
    );
    expect(logger.warn).toHaveBeenCalledWith(
      expect.stringMatching(/Could not read the curated Kratix templates/),
    );
  });

  it('reads keys from a template without touching the catalog', () => {
    expect(
      curatedKeysOf(template('t', { promise: 'Redis' }), 'sandbox'),
    ).toEqual(['sandbox/redis']);
    expect(
      curatedKeysOf(template('t', { promise: 'redis' }), undefined),
    ).toEqual([]);
  });
});
