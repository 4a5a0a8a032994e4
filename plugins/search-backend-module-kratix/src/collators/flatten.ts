/*
 * Turns status and spec objects into short `key: value` lines for full-text search: nested keys
 * dotted, long values cut, at most a few lines, so one odd Resource cannot bloat the index.
 */
const MAX_VALUE_LENGTH = 120;

export function flattenToLines(
  value: Record<string, unknown> | undefined,
  maxLines: number,
): string[] {
  const lines: string[] = [];
  const walk = (prefix: string, v: unknown, depth: number) => {
    if (lines.length >= maxLines || v === undefined || v === null) return;
    if (Array.isArray(v)) {
      const scalars = v.filter(x => typeof x !== 'object' || x === null);
      if (scalars.length === v.length) {
        lines.push(`${prefix}: ${cut(scalars.join(', '))}`);
      } else {
        v.forEach((item, i) => walk(`${prefix}[${i}]`, item, depth + 1));
      }
      return;
    }
    if (typeof v === 'object') {
      if (depth >= 3) return;
      for (const [key, inner] of Object.entries(v as Record<string, unknown>)) {
        walk(prefix ? `${prefix}.${key}` : key, inner, depth + 1);
      }
      return;
    }
    lines.push(`${prefix}: ${cut(String(v))}`);
  };
  walk('', value ?? {}, 0);
  return lines;
}

function cut(text: string): string {
  return text.length > MAX_VALUE_LENGTH
    ? `${text.slice(0, MAX_VALUE_LENGTH - 1)}…`
    : text;
}
