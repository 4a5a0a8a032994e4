/* meta.k8s.io Table responses (what `kubectl get` asks for) and other Accept-driven renderings. */
import type { KubeObject, ResourceType } from '../store/types';
import type { MediaType } from './http';
import { columnsFor } from './tableColumns';

export type Rendering =
  | { as: 'json' }
  | { as: 'Table'; version: string }
  | { as: 'PartialObjectMetadata'; version: string };

/** The first acceptable rendering in the client's order of preference; undefined for 406. */
export function chooseRendering(accept: MediaType[]): Rendering | undefined {
  for (const media of accept) {
    const jsonish =
      media.type === 'application/json' ||
      media.type === '*/*' ||
      media.type === 'application/*';
    if (!jsonish) continue;
    const { as, g, v } = media.params;
    if (!as) return { as: 'json' };
    if (g === 'meta.k8s.io' && (v === 'v1' || v === 'v1beta1')) {
      if (as === 'Table') return { as: 'Table', version: v };
      if (
        as === 'PartialObjectMetadata' ||
        as === 'PartialObjectMetadataList'
      ) {
        return { as: 'PartialObjectMetadata', version: v };
      }
    }
  }
  return undefined;
}

export function partialObject(object: KubeObject, version = 'v1') {
  return {
    kind: 'PartialObjectMetadata',
    apiVersion: `meta.k8s.io/${version}`,
    metadata: object.metadata,
  };
}

export interface TableOptions {
  tableVersion: string;
  version: string;
  includeObject?: string;
  withColumns?: boolean;
  listMeta?: Record<string, unknown>;
  /** Turns a stored object into what the client asked for (its apiVersion). */
  present: (object: KubeObject) => KubeObject;
}

export function renderTable(
  type: ResourceType,
  objects: KubeObject[],
  options: TableOptions,
) {
  const columns = columnsFor(type, options.version);
  const include = options.includeObject || 'Metadata';
  return {
    kind: 'Table',
    apiVersion: `meta.k8s.io/${options.tableVersion}`,
    metadata: options.listMeta ?? {},
    ...(options.withColumns === false
      ? { columnDefinitions: [] }
      : { columnDefinitions: columns.map(c => c.definition) }),
    rows: objects.map(object => ({
      cells: columns.map(c => c.cell(object)),
      ...(include === 'None'
        ? {}
        : {
            object:
              include === 'Object'
                ? options.present(object)
                : partialObject(object, options.tableVersion),
          }),
    })),
  };
}
