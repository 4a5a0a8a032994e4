/*
 * The Kratix YAML fixtures beside this package's src/ (promises/, resource-requests/,
 * status-examples/, backstage-entities/), read by name. Verbatim public YAML, each file's upstream
 * (repository, path, commit) in the README; tests only, never published.
 */
import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';

const ROOT = path.resolve(__dirname, '..');
const FOLDERS = [
  'promises',
  'resource-requests',
  'status-examples',
  'backstage-entities',
];

/** The absolute path of a fixture, named relative to the package: `status-examples/<file>.yaml`. */
export function kratixFixturePath(name: string): string {
  const file = path.resolve(ROOT, name);
  if (
    !FOLDERS.some(folder => file.startsWith(path.join(ROOT, folder, path.sep)))
  ) {
    throw new Error(`Not a Kratix fixture: ${name}`);
  }
  return file;
}

/** A fixture's one YAML document, parsed. */
export function readKratixFixture<T = any>(name: string): T {
  return parse(fs.readFileSync(kratixFixturePath(name), 'utf8')) as T;
}

/** Every fixture's name, as `readKratixFixture` takes it. */
export function kratixFixtureNames(): string[] {
  return FOLDERS.flatMap(folder =>
    fs
      .readdirSync(path.join(ROOT, folder))
      .filter(file => file.endsWith('.yaml'))
      .map(file => `${folder}/${file}`),
  ).sort();
}
