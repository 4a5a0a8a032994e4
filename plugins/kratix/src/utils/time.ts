/** Milliseconds since the epoch, or undefined for a missing or unparseable time. */
export function toMillis(time: string | undefined): number | undefined {
  if (!time) return undefined;
  const ms = Date.parse(time);
  return Number.isNaN(ms) ? undefined : ms;
}

/** A short human duration: `850ms`, `42s`, `3m 12s`, `2h 5m`, `3d 4h`. */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) return '—';
  if (ms < 1000) return `${Math.round(ms)}ms`;
  const seconds = Math.floor(ms / 1000);
  if (seconds < 60) return `${seconds}s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60)
    return `${minutes}m${seconds % 60 ? ` ${seconds % 60}s` : ''}`;
  const hours = Math.floor(minutes / 60);
  if (hours < 24) return `${hours}h${minutes % 60 ? ` ${minutes % 60}m` : ''}`;
  const days = Math.floor(hours / 24);
  return `${days}d${hours % 24 ? ` ${hours % 24}h` : ''}`;
}

/** How long ago a time was (`3m ago`), or `—` when unknown. */
export function formatAgo(time: string | undefined, now: number): string {
  const ms = toMillis(time);
  if (ms === undefined) return '—';
  const delta = now - ms;
  if (delta < 0) return `in ${formatDuration(-delta)}`;
  if (delta < 1000) return 'just now';
  return `${formatDuration(delta)} ago`;
}

/**
 * One formatter per set of options, made once: `toLocaleString(undefined, options)` builds a new
 * Intl.DateTimeFormat at every call (tens of microseconds), and a 500-entry timeline formats
 * about a thousand times a render. The default locale is read when the formatter is first made.
 */
const formatters = new Map<string, Intl.DateTimeFormat>();
export function dateFormatter(
  options: Intl.DateTimeFormatOptions,
): Intl.DateTimeFormat {
  const key = JSON.stringify(options);
  let formatter = formatters.get(key);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat(undefined, options);
    formatters.set(key, formatter);
  }
  return formatter;
}

const TIMESTAMP: Intl.DateTimeFormatOptions = {
  year: 'numeric',
  month: 'short',
  day: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
};

/** A full local timestamp for tooltips and the timeline. */
export function formatTimestamp(time: string | number | undefined): string {
  if (time === undefined) return '—';
  const date = new Date(time);
  if (Number.isNaN(date.getTime())) return String(time);
  return dateFormatter(TIMESTAMP).format(date);
}
