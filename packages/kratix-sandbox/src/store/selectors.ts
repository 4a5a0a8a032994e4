/*
 * Label and field selectors in the syntax of the Kubernetes list/watch query parameters.
 * Parsed once per request into a predicate over objects.
 */
import { badRequest } from './errors';
import type { KubeObject, ResourceType } from './types';

type Predicate = (object: KubeObject) => boolean;

/** Splits on commas outside parentheses: `a in (x,y),b` → [`a in (x,y)`, `b`]. */
function splitTopLevel(selector: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let current = '';
  for (const char of selector) {
    if (char === '(') depth++;
    if (char === ')') depth--;
    if (char === ',' && depth === 0) {
      parts.push(current);
      current = '';
    } else {
      current += char;
    }
  }
  parts.push(current);
  return parts.map(p => p.trim()).filter(p => p.length > 0);
}

const KEY = '[A-Za-z0-9]([-A-Za-z0-9_./]*[A-Za-z0-9])?';
const VALUE = '([A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?)?';
const SET_RE = new RegExp(`^(${KEY})\\s+(in|notin)\\s*\\(([^)]*)\\)$`);
const EQ_RE = new RegExp(`^(${KEY})\\s*(==|=|!=)\\s*(${VALUE})$`);
const CMP_RE = new RegExp(`^(${KEY})\\s*(<|>)\\s*(-?\\d+)$`);
const EXISTS_RE = new RegExp(`^(!?)\\s*(${KEY})$`);

function parseRequirement(
  text: string,
): (labels: Record<string, string>) => boolean {
  let m = SET_RE.exec(text);
  if (m) {
    const key = m[1];
    const values = new Set(
      m[4]
        .split(',')
        .map(v => v.trim())
        .filter(v => v !== ''),
    );
    return m[3] === 'in'
      ? labels => key in labels && values.has(labels[key])
      : labels => !(key in labels) || !values.has(labels[key]);
  }
  m = EQ_RE.exec(text);
  if (m) {
    const [, key, , op, value] = m;
    return op === '!='
      ? labels => labels[key] !== value
      : labels => labels[key] === value;
  }
  m = CMP_RE.exec(text);
  if (m) {
    const [, key, , op, num] = m;
    const bound = Number(num);
    return labels => {
      if (!(key in labels) || !/^-?\d+$/.test(labels[key])) return false;
      const n = Number(labels[key]);
      return op === '<' ? n < bound : n > bound;
    };
  }
  m = EXISTS_RE.exec(text);
  if (m) {
    const negate = m[1] === '!';
    const key = m[2];
    return labels => key in labels !== negate;
  }
  throw badRequest(
    `unable to parse requirement: found '${text}', expected: valid label selector`,
  );
}

export function parseLabelSelector(
  selector: string | undefined,
): Predicate | undefined {
  if (!selector || !selector.trim()) return undefined;
  const requirements = splitTopLevel(selector).map(parseRequirement);
  return object => {
    const labels = object.metadata.labels ?? {};
    return requirements.every(r => r(labels));
  };
}

function fieldValue(object: KubeObject, path: string): string {
  let value: unknown = object;
  for (const part of path.split('.')) {
    if (value === null || typeof value !== 'object') return '';
    value = (value as Record<string, unknown>)[part];
  }
  return value === undefined || value === null ? '' : String(value);
}

export function parseFieldSelector(
  selector: string | undefined,
  type: ResourceType,
): Predicate | undefined {
  if (!selector || !selector.trim()) return undefined;
  const allowed = new Set([
    'metadata.name',
    'metadata.namespace',
    ...(type.selectableFields ?? []),
  ]);
  const terms = splitTopLevel(selector).map(term => {
    const m = /^([^=!]+?)\s*(==|=|!=)\s*(.*)$/.exec(term);
    if (!m)
      throw badRequest(
        `invalid selector: '${selector}'; can't understand '${term}'`,
      );
    const [, field, op, value] = m;
    if (!allowed.has(field)) {
      throw badRequest(`field label not supported: ${field}`);
    }
    return op === '!='
      ? (o: KubeObject) => fieldValue(o, field) !== value
      : (o: KubeObject) => fieldValue(o, field) === value;
  });
  return object => terms.every(t => t(object));
}

/** Namespace + label + field filters of a list or watch, combined. */
export function objectFilter(
  type: ResourceType,
  options: {
    namespace?: string;
    labelSelector?: string;
    fieldSelector?: string;
  },
): Predicate {
  const labels = parseLabelSelector(options.labelSelector);
  const fields = parseFieldSelector(options.fieldSelector, type);
  const namespace = type.namespaced ? options.namespace : undefined;
  return object =>
    (namespace === undefined || object.metadata.namespace === namespace) &&
    (!labels || labels(object)) &&
    (!fields || fields(object));
}
