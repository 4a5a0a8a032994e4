/*
 * The synced folder's files as Kubernetes objects: every YAML document of every file, checked for
 * what an apply needs (apiVersion, kind, metadata.name). A file that does not parse, or holds a
 * document that is not an object, is refused whole: nothing of it is applied, and nothing applied
 * from it before is deleted (the next good commit decides).
 */
import { parseAllDocuments } from 'yaml';
import type { KubeObject } from '../store/types';
import type { TreeFile } from './repository';

/** One object a file declares, as the file declares it (server-managed fields dropped). */
export interface DeclaredObject {
  path: string;
  object: KubeObject;
}

export interface FileError {
  path: string;
  message: string;
}

export interface ParsedFiles {
  objects: DeclaredObject[];
  errors: FileError[];
  /** Files refused whole: objects applied from them before are kept. */
  refused: Set<string>;
}

/** Set by the server, never by whoever writes the manifest; an apply must not send them. */
const SERVER_FIELDS = [
  'uid',
  'resourceVersion',
  'generation',
  'creationTimestamp',
  'deletionTimestamp',
  'deletionGracePeriodSeconds',
  'managedFields',
  'selfLink',
];

function isObject(value: unknown): value is Record<string, unknown> {
  return !!value && typeof value === 'object' && !Array.isArray(value);
}

/** Why a document cannot be applied, or undefined when it can. */
function problemOf(doc: unknown): string | undefined {
  if (!isObject(doc)) return 'is not a mapping (a Kubernetes object)';
  if (typeof doc.apiVersion !== 'string' || !doc.apiVersion)
    return 'has no apiVersion';
  if (typeof doc.kind !== 'string' || !doc.kind) return 'has no kind';
  if (!isObject(doc.metadata)) return 'has no metadata';
  if (typeof doc.metadata.name !== 'string' || !doc.metadata.name) {
    return doc.metadata.generateName
      ? 'has metadata.generateName but no metadata.name (a synced object needs a name to be found again)'
      : 'has no metadata.name';
  }
  if (
    doc.metadata.namespace !== undefined &&
    typeof doc.metadata.namespace !== 'string'
  )
    return 'has a metadata.namespace that is not a string';
  return undefined;
}

function parseFile(file: TreeFile): KubeObject[] | FileError {
  const text = file.content.toString('utf8');
  const docs = parseAllDocuments(text, { prettyErrors: true });
  // A file with no document at all (empty, comments only) declares nothing, unless it is broken.
  if ('empty' in docs) {
    return docs.errors.length
      ? { path: file.path, message: `invalid YAML: ${docs.errors[0].message}` }
      : [];
  }
  const objects: KubeObject[] = [];
  for (const [index, doc] of docs.entries()) {
    const where = docs.length > 1 ? `document ${index + 1}: ` : '';
    if (doc.errors.length) {
      return {
        path: file.path,
        message: `${where}invalid YAML: ${doc.errors[0].message}`,
      };
    }
    const value = doc.toJS({ maxAliasCount: 100 });
    // Empty documents (a leading `---`, comments only) declare nothing.
    if (value === null || value === undefined) continue;
    const problem = problemOf(value);
    if (problem) return { path: file.path, message: `${where}${problem}` };
    const object = value as KubeObject;
    for (const field of SERVER_FIELDS) delete object.metadata[field];
    // The status is the controllers' to write, as the API server's main endpoint ignores it.
    delete object.status;
    objects.push(object);
  }
  return objects;
}

export function parseFiles(files: TreeFile[]): ParsedFiles {
  const parsed: ParsedFiles = { objects: [], errors: [], refused: new Set() };
  for (const file of files) {
    const result = parseFile(file);
    if (Array.isArray(result)) {
      parsed.objects.push(
        ...result.map(object => ({ path: file.path, object })),
      );
    } else {
      parsed.errors.push(result);
      parsed.refused.add(file.path);
    }
  }
  return parsed;
}
