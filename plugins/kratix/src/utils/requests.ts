/*
 * Requests delivered through Git (a commit a GitOps agent syncs, or a pull request): the words and
 * links the tab, the overview card and the manage actions show for them.
 */
import { parseEntityRef } from '@backstage/catalog-model';
import type {
  KratixRequestOperation,
  KratixRequestState,
  KratixRequestView,
  KratixResourceView,
} from '@kratix-backstage/plugin-kratix-common';
import { resourceKey } from './summary';

export const REQUEST_STATE_LABEL: Record<KratixRequestState, string> = {
  pending: 'Pending',
  stale: 'Stale',
  closed: 'Closed',
  applied: 'Applied',
  superseded: 'Superseded',
};

/** The order of the request counts: what still waits first. */
export const REQUEST_STATE_ORDER: KratixRequestState[] = [
  'pending',
  'stale',
  'closed',
  'superseded',
  'applied',
];

/** What was asked of the Resource, leading the row's message. */
export const REQUEST_OPERATION_LABEL: Record<KratixRequestOperation, string> = {
  create: 'New Resource requested',
  update: 'Spec change requested',
  delete: 'Deletion requested',
};

/** A commit as Git hosts show it: the first seven characters. */
export const shortSha = (sha: string) => sha.slice(0, 7);

/**
 * Only web links become anchors: the URLs come from the backend's configuration, but a `javascript:`
 * URL must never be clickable whatever the configuration says.
 */
const isWebUrl = (url: string | undefined): url is string =>
  !!url && /^https?:\/\//i.test(url.trim());

/** The link a request is followed by: its pull request when it has one, else its commit. */
export interface RequestLinkInfo {
  /** "Pull request #12" or "Commit abc1234". */
  label: string;
  /** Absent when the forge has no page to link to (the label is still shown). */
  href?: string;
}

export function requestLinkOf(request: KratixRequestView): RequestLinkInfo {
  if (request.pullRequestUrl || request.pullRequestNumber !== undefined) {
    return {
      label:
        request.pullRequestNumber !== undefined
          ? `Pull request #${request.pullRequestNumber}`
          : 'Pull request',
      href: isWebUrl(request.pullRequestUrl)
        ? request.pullRequestUrl.trim()
        : undefined,
    };
  }
  return commitLinkOf(request);
}

export function commitLinkOf(request: KratixRequestView): RequestLinkInfo {
  return {
    label: `Commit ${shortSha(request.commitSha)}`,
    href: isWebUrl(request.commitUrl) ? request.commitUrl.trim() : undefined,
  };
}

/** "1 pending request", "2 stale requests": one per state present, what still waits first. */
export function requestCounts(requests: KratixRequestView[]): string[] {
  const counts = new Map<KratixRequestState, number>();
  for (const r of requests) counts.set(r.state, (counts.get(r.state) ?? 0) + 1);
  return REQUEST_STATE_ORDER.filter(s => counts.has(s)).map(s => {
    const n = counts.get(s)!;
    return `${n} ${REQUEST_STATE_LABEL[s].toLowerCase()} request${
      n === 1 ? '' : 's'
    }`;
  });
}

/** "guest" for `user:default/guest`; another namespace stays (`ops/alice`); anything else as is. */
export function requesterName(requestedBy: string): string {
  try {
    const ref = parseEntityRef(requestedBy, {
      defaultKind: 'user',
      defaultNamespace: 'default',
    });
    if (ref.kind.toLocaleLowerCase('en-US') !== 'user') return requestedBy;
    return ref.namespace === 'default'
      ? ref.name
      : `${ref.namespace}/${ref.name}`;
  } catch {
    return requestedBy;
  }
}

/**
 * The requests to show next to these Resources. The backend drops applied ones; a create request
 * whose Resource is already live (and not on its way out) is dropped here too, so the row gives
 * way to the Resource the moment it appears, not when the ledger catches up.
 */
export function visibleRequests(
  requests: KratixRequestView[] | undefined,
  items: KratixResourceView[],
): KratixRequestView[] {
  if (!requests?.length) return [];
  const live = new Set(
    items.filter(r => r.state !== 'deleting').map(resourceKey),
  );
  return requests.filter(
    r =>
      r.state !== 'applied' &&
      r.state !== 'superseded' &&
      !(r.operation === 'create' && live.has(resourceKey(r))),
  );
}
