/*
 * The JSONPath subset CRD printer columns use: `.a.b`, `['a.b']`, `[0]`, `[*]` and filters
 * `[?(@.type=="Ready")]` (== and !=, string/number/boolean literals, optional braces `{...}`).
 */

type Step =
  | { kind: 'field'; name: string }
  | { kind: 'index'; index: number }
  | { kind: 'all' }
  | { kind: 'filter'; path: string[]; op: '==' | '!='; value: unknown };

const FILTER_RE = /^\?\(@((?:\.[\w-]+)+)\s*(==|!=)\s*(.+)\)$/;

function parseLiteral(text: string): unknown {
  const t = text.trim();
  if (/^(['"]).*\1$/.test(t)) return t.slice(1, -1);
  if (t === 'true' || t === 'false') return t === 'true';
  if (/^-?\d+(\.\d+)?$/.test(t)) return Number(t);
  return t;
}

export function parseJsonPath(expression: string): Step[] {
  let text = expression.trim();
  if (text.startsWith('{') && text.endsWith('}'))
    text = text.slice(1, -1).trim();
  if (text.startsWith('$')) text = text.slice(1);
  const steps: Step[] = [];
  let i = 0;
  while (i < text.length) {
    if (text[i] === '.') {
      const m = /^\.([\w-]+)/.exec(text.slice(i));
      if (!m) throw new Error(`unsupported JSONPath ${expression}`);
      steps.push({ kind: 'field', name: m[1] });
      i += m[0].length;
    } else if (text[i] === '[') {
      const close = findClose(text, i);
      const inner = text.slice(i + 1, close).trim();
      i = close + 1;
      const filter = FILTER_RE.exec(inner);
      if (inner === '*') steps.push({ kind: 'all' });
      else if (/^-?\d+$/.test(inner))
        steps.push({ kind: 'index', index: Number(inner) });
      else if (/^(['"]).*\1$/.test(inner))
        steps.push({ kind: 'field', name: inner.slice(1, -1) });
      else if (filter) {
        steps.push({
          kind: 'filter',
          path: filter[1].split('.').filter(Boolean),
          op: filter[2] as '==' | '!=',
          value: parseLiteral(filter[3]),
        });
      } else throw new Error(`unsupported JSONPath ${expression}`);
    } else {
      throw new Error(`unsupported JSONPath ${expression}`);
    }
  }
  return steps;
}

function findClose(text: string, open: number): number {
  let depth = 0;
  let quote: string | undefined;
  for (let i = open; i < text.length; i++) {
    const c = text[i];
    if (quote) {
      if (c === quote) quote = undefined;
    } else if (c === '"' || c === "'") quote = c;
    else if (c === '[') depth++;
    else if (c === ']' && --depth === 0) return i;
  }
  throw new Error(`unbalanced brackets in JSONPath ${text}`);
}

function child(value: unknown, key: string): unknown {
  return value !== null && typeof value === 'object' && !Array.isArray(value)
    ? (value as Record<string, unknown>)[key]
    : undefined;
}

/** All values the path selects (empty when nothing matches). */
export function evaluateJsonPath(steps: Step[], root: unknown): unknown[] {
  let current: unknown[] = [root];
  for (const step of steps) {
    const next: unknown[] = [];
    for (const value of current) {
      if (step.kind === 'field') {
        const v = child(value, step.name);
        if (v !== undefined) next.push(v);
      } else if (!Array.isArray(value)) {
        if (step.kind === 'all' && value && typeof value === 'object')
          next.push(...Object.values(value));
      } else if (step.kind === 'index') {
        const v =
          value[step.index < 0 ? value.length + step.index : step.index];
        if (v !== undefined) next.push(v);
      } else if (step.kind === 'all') {
        next.push(...value);
      } else {
        for (const item of value) {
          const found = step.path.reduce<unknown>(
            (acc, key) => child(acc, key),
            item,
          );
          if ((found === step.value) === (step.op === '==')) next.push(item);
        }
      }
    }
    current = next;
  }
  return current;
}
