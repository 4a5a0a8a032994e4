/*
 * A resolved Resource as the HTTP contract, the scaffolder and the MCP actions show it.
 */
import {
  toResourceView,
  type KratixResourceView,
} from '@kratix-backstage/plugin-kratix-common';
import type { ResolvedResource } from './KratixClusterService';

/**
 * The view of a resolved Resource (message, state, extra status, conditions, pipelines).
 *
 * @public
 */
export function resourceViewOf({
  kind,
  object,
}: ResolvedResource): KratixResourceView {
  return toResourceView(
    {
      cluster: kind.cluster,
      promise: kind.promise,
      group: kind.group,
      version: kind.version,
      kind: kind.kind,
      plural: kind.plural,
    },
    object,
  );
}
