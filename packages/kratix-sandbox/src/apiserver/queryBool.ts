/*
 * Boolean query parameters, read as the Kubernetes API server reads them.
 *
 * Request options (`watch`, `allowWatchBookmarks`, `follow`, `timestamps`,
 * `previous`, …) are decoded by apimachinery's parameter codec, whose
 * `runtime.Convert_Slice_string_To_bool` makes a parameter false only when it is absent, `0` or
 * `false` in any case, and true otherwise (`1`, `t`, `T`, `TRUE`, `true`, `True`, also `yes` and
 * the empty value of `?watch`). So every value Go's `strconv.ParseBool` reads as true is true here,
 * and so is everything else that is not a false. Clients that send `watch=True` (the Python
 * client) or `watch=1` watch, as they do against a real cluster.
 *
 * `pretty` is the exception: the API server reads it with `strconv.ParseBool` and takes a value
 * that is not a boolean as false (parseGoBool).
 */

/** apimachinery's Convert_Slice_string_To_bool on the parameter's first value. */
export function queryBool(query: URLSearchParams, name: string): boolean {
  const values = query.getAll(name);
  if (values.length === 0) return false;
  const value = values[0];
  return !(value === '0' || value.toLowerCase() === 'false');
}

const GO_TRUE = new Set(['1', 't', 'T', 'TRUE', 'true', 'True']);
const GO_FALSE = new Set(['0', 'f', 'F', 'FALSE', 'false', 'False']);

/** Go's strconv.ParseBool: the boolean, or undefined for anything else. */
export function parseGoBool(value: string): boolean | undefined {
  if (GO_TRUE.has(value)) return true;
  if (GO_FALSE.has(value)) return false;
  return undefined;
}

/** `?pretty=`: indent the JSON answer (strconv.ParseBool; not a boolean → false). */
export function wantsPretty(query: URLSearchParams): boolean {
  const value = query.get('pretty');
  return value ? parseGoBool(value) === true : false;
}
