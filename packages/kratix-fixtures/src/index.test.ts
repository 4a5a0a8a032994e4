/*
 * Every fixture can be read by name and has its upstream (repository, commit, path) in the README,
 * so no fixture comes without a provenance anyone can check.
 */
import fs from 'node:fs';
import path from 'node:path';
import {
  kratixFixtureNames,
  kratixFixturePath,
  readKratixFixture,
} from './index';

const readme = fs.readFileSync(
  path.resolve(__dirname, '..', 'README.md'),
  'utf8',
);
const rowOf = (name: string) =>
  readme.split('\n').find(line => line.startsWith(`| \`${name}\``));

describe('Kratix fixtures', () => {
  const names = kratixFixtureNames();

  it('finds the fixtures of every folder', () => {
    expect(names).toEqual(
      expect.arrayContaining([
        'promises/workshop-2023-elastic-cloud-eck-api-only.yaml',
        'resource-requests/marketplace-redis.yaml',
        'status-examples/resource-status-reconciled-docs.yaml',
        'backstage-entities/ske-docs-jenkins-resource-component.yaml',
      ]),
    );
  });

  it.each(names)('%s parses and names its public upstream', name => {
    expect(readKratixFixture(name)).toEqual(expect.any(Object));
    expect(rowOf(name)).toMatch(
      /github\.com\/syntasso\/[\w-]+ @ [0-9a-f]{40}, `[^`]+`/,
    );
  });

  it('reads nothing outside its folders', () => {
    expect(() => kratixFixturePath('package.json')).toThrow(
      'Not a Kratix fixture: package.json',
    );
    expect(() =>
      readKratixFixture('status-examples/../../package.json'),
    ).toThrow('Not a Kratix fixture');
  });
});
