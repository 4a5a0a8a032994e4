import type { Entity } from '@backstage/catalog-model';
import { readKratixFixture } from '@internal/kratix-fixtures';
import { getKratixResourceRefs, isKratixResourceEntity } from './annotations';

const fixture = (name: string) =>
  readKratixFixture(`backstage-entities/${name}`);

const entity = (annotations: Record<string, string>): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name: 'x', annotations },
  spec: {},
});

describe('getKratixResourceRefs', () => {
  it('reads the entities Syntasso portal generates', () => {
    const generated = fixture('ske-docs-jenkins-resource-component.yaml');
    expect(isKratixResourceEntity(generated)).toBe(true);
    expect(getKratixResourceRefs(generated)).toEqual({
      refs: [
        {
          cluster: undefined,
          promise: 'cicd',
          group: 'marketplace.example.io',
          version: 'v1alpha1',
          kind: 'Jenkins',
          namespace: 'default',
          name: 'my-jenkins',
        },
      ],
      errors: [],
    });
    const snippet = fixture('ske-docs-resource-annotations-snippet.yaml');
    expect(getKratixResourceRefs(snippet as Entity).refs[0]).toMatchObject({
      promise: 'database',
      kind: 'database',
      namespace: 'team-backend',
      name: 'prod-db',
    });
  });

  it('reads several Resources and clusters from the compact annotation', () => {
    const parsed = getKratixResourceRefs(
      entity({
        'kratix.backstage.io/cluster': 'sandbox',
        'kratix.backstage.io/resources':
          'redis/default/example, platform-eu:jenkins/ci/main\nelastic-cloud/default/example',
      }),
    );
    expect(parsed.errors).toEqual([]);
    expect(parsed.refs).toEqual([
      {
        cluster: 'sandbox',
        promise: 'redis',
        namespace: 'default',
        name: 'example',
      },
      {
        cluster: 'platform-eu',
        promise: 'jenkins',
        namespace: 'ci',
        name: 'main',
      },
      {
        cluster: 'sandbox',
        promise: 'elastic-cloud',
        namespace: 'default',
        name: 'example',
      },
    ]);
  });

  it('reports malformed entries instead of dropping them silently', () => {
    const parsed = getKratixResourceRefs(
      entity({
        'kratix.backstage.io/resources':
          'redis/default, redis/Default/x, ok/ns/name',
      }),
    );
    expect(parsed.refs).toHaveLength(1);
    expect(parsed.errors).toEqual([
      '"redis/default" is not [<cluster>:]<promise>/<namespace>/<name>',
      '"redis/Default/x": invalid namespace "Default"',
    ]);
    expect(
      getKratixResourceRefs(
        entity({ 'kratix.io/type': 'resource', 'kratix.io/name': 'a' }),
      ).errors,
    ).toEqual([
      'kratix.io/type is "resource" but kratix.io/namespace, kratix.io/group, kratix.io/version, kratix.io/kind are missing',
    ]);
  });

  it('ignores entities without Kratix annotations', () => {
    expect(isKratixResourceEntity(entity({}))).toBe(false);
    expect(getKratixResourceRefs(entity({}))).toEqual({ refs: [], errors: [] });
  });
});
