/*
 * CustomResourceDefinitions as the apiextensions-apiserver treats them: a CRD object defines a
 * served type, gets NamesAccepted/Established conditions, and deleting it removes the type and
 * all its objects. The store only stores CRDs; installCrdController turns them into types.
 */
import { jsonEqual } from './jsonEqual';
import { kubeTimestamp } from './names';
import type {
  KubeObject,
  PrinterColumn,
  ResourceType,
  StatusCause,
  Store,
  TypeKey,
} from './types';

export const CRD_KEY: TypeKey = {
  group: 'apiextensions.k8s.io',
  plural: 'customresourcedefinitions',
};

interface CrdVersion {
  name: string;
  served?: boolean;
  storage?: boolean;
  schema?: { openAPIV3Schema?: Record<string, unknown> };
  subresources?: { status?: unknown };
  additionalPrinterColumns?: PrinterColumn[];
  selectableFields?: Array<{ jsonPath: string }>;
}

interface CrdSpec {
  group?: string;
  scope?: string;
  names?: {
    kind?: string;
    listKind?: string;
    plural?: string;
    singular?: string;
    shortNames?: string[];
    categories?: string[];
  };
  versions?: CrdVersion[];
}

const specOf = (crd: KubeObject) => (crd.spec ?? {}) as CrdSpec;

/** What the apiserver checks before accepting a CRD (the parts the sandbox relies on). */
export function validateCrd(crd: KubeObject): StatusCause[] {
  const spec = specOf(crd);
  const causes: StatusCause[] = [];
  const required = (field: string) =>
    causes.push({
      reason: 'FieldValueRequired',
      field,
      message: 'Required value',
    });
  if (!spec.group) required('spec.group');
  if (!spec.names?.plural) required('spec.names.plural');
  if (!spec.names?.kind) required('spec.names.kind');
  if (spec.scope !== 'Namespaced' && spec.scope !== 'Cluster') {
    causes.push({
      reason: 'FieldValueNotSupported',
      field: 'spec.scope',
      message: `Unsupported value: ${JSON.stringify(
        spec.scope ?? '',
      )}: supported values: "Cluster", "Namespaced"`,
    });
  }
  const versions = spec.versions ?? [];
  if (!versions.length) required('spec.versions');
  else if (versions.filter(v => v.storage).length !== 1) {
    causes.push({
      reason: 'FieldValueInvalid',
      field: 'spec.versions',
      message: `Invalid value: ${JSON.stringify(
        versions.map(v => v.name),
      )}: must have exactly one version marked as storage version`,
    });
  }
  const expectedName = `${spec.names?.plural}.${spec.group}`;
  if (spec.group && spec.names?.plural && crd.metadata.name !== expectedName) {
    causes.push({
      reason: 'FieldValueInvalid',
      field: 'metadata.name',
      message: `Invalid value: "${crd.metadata.name}": must be spec.names.plural+"."+spec.group`,
    });
  }
  return causes;
}

/** The store type a (valid) CRD defines. */
export function resourceTypeFromCrd(crd: KubeObject): ResourceType {
  const spec = specOf(crd);
  const names = spec.names ?? {};
  const versions = spec.versions ?? [];
  const storage = versions.find(v => v.storage) ?? versions[0];
  const served = versions.filter(v => v.served !== false).map(v => v.name);
  if (!served.includes(storage.name)) served.push(storage.name);
  const kind = names.kind ?? '';
  const schemas: Record<string, Record<string, unknown>> = {};
  const printerColumns: Record<string, PrinterColumn[]> = {};
  for (const v of versions) {
    if (v.schema?.openAPIV3Schema) schemas[v.name] = v.schema.openAPIV3Schema;
    if (v.additionalPrinterColumns?.length)
      printerColumns[v.name] = v.additionalPrinterColumns;
  }
  const selectable = storage.selectableFields?.map(f =>
    f.jsonPath.replace(/^\./, ''),
  );
  return {
    group: spec.group ?? '',
    versions: served,
    storageVersion: storage.name,
    kind,
    listKind: names.listKind ?? `${kind}List`,
    plural: names.plural ?? '',
    singular: names.singular ?? kind.toLowerCase(),
    ...(names.shortNames ? { shortNames: names.shortNames } : {}),
    ...(names.categories ? { categories: names.categories } : {}),
    namespaced: spec.scope === 'Namespaced',
    statusSubresource: storage.subresources?.status !== undefined,
    schemas,
    printerColumns,
    ...(selectable?.length ? { selectableFields: selectable } : {}),
  };
}

function acceptedStatus(
  crd: KubeObject,
  previous: Record<string, any> | undefined,
): Record<string, unknown> {
  const type = resourceTypeFromCrd(crd);
  const now = kubeTimestamp();
  const condition = (
    conditionType: string,
    reason: string,
    message: string,
  ) => {
    const old = (previous?.conditions as any[] | undefined)?.find(
      c => c.type === conditionType,
    );
    const since = old?.status === 'True' ? old.lastTransitionTime : now;
    return {
      type: conditionType,
      status: 'True',
      lastTransitionTime: since,
      reason,
      message,
    };
  };
  return {
    ...previous,
    acceptedNames: {
      kind: type.kind,
      listKind: type.listKind,
      plural: type.plural,
      singular: type.singular,
      ...(type.shortNames ? { shortNames: type.shortNames } : {}),
      ...(type.categories ? { categories: type.categories } : {}),
    },
    conditions: [
      condition('NamesAccepted', 'NoConflicts', 'no conflicts found'),
      condition(
        'Established',
        'InitialNamesAccepted',
        'the initial names have been accepted',
      ),
    ],
    storedVersions: [
      ...new Set([...(previous?.storedVersions ?? []), type.storageVersion]),
    ],
  };
}

/** Defines the CRD's type and marks the CRD Established (a no-op write when it already is). */
function establish(store: Store, crd: KubeObject): void {
  store.defineType(resourceTypeFromCrd(crd));
  const status = acceptedStatus(
    crd,
    crd.status as Record<string, any> | undefined,
  );
  if (jsonEqual(status, crd.status)) return;
  const { resourceVersion: _rv, ...metadata } = crd.metadata;
  store.update(
    CRD_KEY,
    { ...crd, metadata, status },
    { subresource: 'status' },
  );
}

/**
 * Keeps store types in step with CRD objects: defines them for existing and new CRDs, redefines
 * on change, removes on delete. Returns the unsubscribe function.
 */
export function installCrdController(store: Store): () => void {
  if (store.getType(CRD_KEY)) {
    for (const crd of store.list(CRD_KEY).items) establish(store, crd);
  }
  return store.subscribe(change => {
    const { group, plural } = change.resourceType;
    if (group !== CRD_KEY.group || plural !== CRD_KEY.plural) return;
    const spec = specOf(change.object);
    if (change.type === 'DELETED') {
      store.removeType({
        group: spec.group ?? '',
        plural: spec.names?.plural ?? '',
      });
      return;
    }
    const latest = store.get(CRD_KEY, undefined, change.object.metadata.name);
    if (
      latest &&
      latest.metadata.resourceVersion === change.object.metadata.resourceVersion
    ) {
      establish(store, latest);
    }
  });
}
