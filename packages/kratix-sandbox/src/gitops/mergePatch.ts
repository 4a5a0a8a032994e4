/*
 * The three-way JSON merge patch of an apply (kubectl's client-side apply for custom resources):
 * set everything the file declares now, and remove what the previous apply declared and the file no
 * longer does. Fields nobody declared in the file (Kratix's finalizers, labels a controller added,
 * the status) are left alone.
 */

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

function isMap(value: unknown): value is Record<string, Json> {
  return !!value && typeof value === 'object' && !Array.isArray(value);
}

/** RFC 7386 patch taking an object last applied as `previous` to `desired`. */
export function threeWayMergePatch(
  previous: Record<string, unknown> | undefined,
  desired: Record<string, unknown>,
): Record<string, Json> {
  const patch: Record<string, Json> = {};
  for (const [key, value] of Object.entries(desired)) {
    if (value === undefined) continue;
    const before = previous?.[key];
    patch[key] =
      isMap(value) && isMap(before)
        ? threeWayMergePatch(before, value)
        : (value as Json);
  }
  for (const key of Object.keys(previous ?? {})) {
    if (!(key in desired) || desired[key] === undefined) patch[key] = null;
  }
  return patch;
}
