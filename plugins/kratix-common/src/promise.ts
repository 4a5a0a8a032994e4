/*
 * A Promise's Resource API, read the way Kratix reads it (`Promise.GetAPI()`): `spec.api` is a CRD;
 * group, kind and plural come from its spec, the version is the one marked `storage: true` (else the
 * first). Kinds are often lower-case (`redis`): nothing is derived from the kind.
 */
import type { KratixCondition, KratixPromiseView } from './types';
import { sortedConditions } from './status';

/**
 * A Promise (`platform.kratix.io/v1alpha1`) as stored on the platform cluster.
 *
 * @public
 */
export interface KratixPromiseObject {
  apiVersion: string;
  kind: string;
  metadata: {
    name: string;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
    resourceVersion?: string;
  };
  spec?: Record<string, any>;
  status?: Record<string, any>;
}

/**
 * The Resource kind a Promise serves, read from its `spec.api` CRD.
 *
 * @public
 */
export interface KratixPromiseApi {
  group: string;
  version: string;
  kind: string;
  plural: string;
  schema?: Record<string, unknown>;
}

/**
 * The Resource API a Promise defines in `spec.api` (group, version, kind, plural, schema), if any.
 *
 * @public
 */
export function getPromiseApi(
  promise: KratixPromiseObject,
): KratixPromiseApi | undefined {
  const crdSpec = promise.spec?.api?.spec;
  if (!crdSpec || typeof crdSpec !== 'object') return undefined;
  const group = crdSpec.group;
  const kind = crdSpec.names?.kind;
  const plural = crdSpec.names?.plural;
  const versions: any[] = Array.isArray(crdSpec.versions)
    ? crdSpec.versions
    : [];
  const storage = versions.find(v => v?.storage === true) ?? versions[0];
  if (
    typeof group !== 'string' ||
    typeof kind !== 'string' ||
    typeof plural !== 'string' ||
    typeof storage?.name !== 'string'
  ) {
    return undefined;
  }
  return {
    group,
    version: storage.name,
    kind,
    plural,
    schema: storage.schema?.openAPIV3Schema,
  };
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * The schema of a Resource's `spec`: `properties.spec` of the Promise's API schema (the storage
 * version's `openAPIV3Schema`, as `KratixPromiseApi.schema` and `KratixPromiseView.schema` hold
 * it); undefined when it has none. The one reading of it, for validation, forms, search and the UI.
 *
 * @public
 */
export function specSchemaOf(
  openAPIV3Schema: Record<string, unknown> | undefined,
): Record<string, unknown> | undefined {
  const properties = openAPIV3Schema?.properties;
  const spec = isRecord(properties) ? properties.spec : undefined;
  return isRecord(spec) ? spec : undefined;
}

/**
 * What the UI shows of a Promise; undefined when it defines no Resource API.
 *
 * @public
 */
export function toPromiseView(
  cluster: string,
  promise: KratixPromiseObject,
): KratixPromiseView | undefined {
  const api = getPromiseApi(promise);
  if (!api) return undefined;
  const conditions: KratixCondition[] = sortedConditions(promise.status);
  const description =
    promise.metadata.annotations?.['kratix.io/promise-summary'] ??
    promise.metadata.annotations?.['backstage.io/description'] ??
    (typeof api.schema?.description === 'string'
      ? api.schema.description
      : undefined);
  return {
    cluster,
    name: promise.metadata.name,
    group: api.group,
    version: api.version,
    kind: api.kind,
    plural: api.plural,
    description,
    status:
      typeof promise.status?.status === 'string'
        ? promise.status.status
        : undefined,
    promiseVersion:
      promise.status?.version ??
      promise.metadata.labels?.['kratix.io/promise-version'],
    requiredPromises: requiredPromiseNames(promise),
    conditions,
    schema: api.schema,
  };
}

function requiredPromiseNames(
  promise: KratixPromiseObject,
): string[] | undefined {
  const required = promise.spec?.requiredPromises;
  if (!Array.isArray(required)) return undefined;
  const names = required
    .map(r => r?.name)
    .filter((n): n is string => typeof n === 'string' && n !== '');
  return names.length ? names : undefined;
}

/**
 * Whether Kratix says a Promise is not Available. A Promise with no status yet (or from a Kratix
 * that reports none) is not known to be unavailable.
 *
 * @public
 */
export function isPromiseUnavailable(promise: KratixPromiseView): boolean {
  return promise.status !== undefined && promise.status !== 'Available';
}

/**
 * Why a Promise is not Available, in Kratix's words: a False condition (RequirementsFulfilled, say)
 * says it better than an Unknown one or Available itself; then the Promises it requires.
 *
 * @public
 */
export function promiseUnavailableReason(promise: KratixPromiseView): string {
  const other = promise.conditions.filter(c => c.type !== 'Available');
  const failing =
    other.find(c => c.status === 'False') ??
    other.find(c => c.status !== 'True') ??
    promise.conditions.find(c => c.type === 'Available');
  const said = failing?.message || failing?.reason;
  const requires = promise.requiredPromises?.length
    ? `it requires ${promise.requiredPromises.join(', ')}`
    : '';
  return (
    [said, requires].filter(Boolean).join('; ') || 'Kratix gives no reason'
  );
}
