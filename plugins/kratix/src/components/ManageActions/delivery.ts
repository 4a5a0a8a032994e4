/*
 * How a Resource's changes reach its cluster (issue 27), from the cluster infos the backend sends:
 * straight to the cluster's API, as a commit (gitops) or as a pull request. The manage dialogs say
 * what an action will do from it; undefined means it is not known (the dialogs then say both).
 */
import type {
  KratixClusterInfo,
  KratixDeliveryView,
  KratixResourceView,
} from '@kratix-backstage/plugin-kratix-common';

const DIRECT: KratixDeliveryView = { mode: 'direct' };

// One object per distinct delivery, so a memoized panel given an equal one draws nothing again
// when a live update brings new cluster infos. Bounded by the clusters' configured targets.
const interned = new Map<string, KratixDeliveryView>();

function intern(view: KratixDeliveryView): KratixDeliveryView {
  const key = [view.mode, view.repository ?? '', view.branch ?? ''].join('\n');
  let known = interned.get(key);
  if (!known) {
    known = view;
    interned.set(key, view);
  }
  return known;
}

/**
 * The Resource's delivery: its Promise's override if the cluster has one, else the cluster's.
 * Undefined when the cluster is not among `clusters` (or they are not known).
 */
export function deliveryOf(
  clusters: readonly KratixClusterInfo[] | undefined,
  resource: Pick<KratixResourceView, 'cluster' | 'promise'>,
): KratixDeliveryView | undefined {
  const info = clusters?.find(c => c.name === resource.cluster);
  if (!info) return undefined;
  const override = info.promiseDelivery?.[resource.promise];
  if (override) return intern(override);
  if (!info.delivery) return DIRECT;
  return intern({ mode: info.delivery, ...info.deliveryTarget });
}

/** Where a Git delivery writes, in words: "https://…/requests.git (branch main)". */
export function repositoryText(delivery: KratixDeliveryView): string {
  const branch = delivery.branch ? ` (branch ${delivery.branch})` : '';
  return delivery.repository
    ? `${delivery.repository}${branch}`
    : `the cluster’s requests repository${branch}`;
}
