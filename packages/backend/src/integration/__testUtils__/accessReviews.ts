/*
 * What the backend asked a cluster in its SubjectAccessReviews. The sandbox's request log records
 * who made each call (like an audit log at the Metadata level), so a review shows there as
 * Backstage's identity creating a `subjectaccessreviews`, without the user it asked about. This
 * observer wraps client-node's AuthorizationV1Api (calling through, changing nothing) to keep each
 * review's subject, the cluster's answer and the time span of the call, which ties it to the
 * request log's record of that call.
 */
import {
  AuthorizationV1Api,
  type V1ResourceAttributes,
} from '@kubernetes/client-node';
import type { RequestRecord, Sandbox } from '@kratix-backstage/sandbox';

/** One SubjectAccessReview the backend made, and what the cluster answered. */
export interface ObservedAccessReview {
  user?: string;
  groups: string[];
  resourceAttributes?: V1ResourceAttributes;
  /** Undefined when the call failed. */
  allowed?: boolean;
  /** Date.now() before the call was made and after it was answered. */
  startedAt: number;
  endedAt: number;
}

export interface AccessReviewObserver {
  reviews: ObservedAccessReview[];
  restore(): void;
}

/** Observes every SubjectAccessReview made in this test file until `restore()`; one at a time. */
export function observeAccessReviews(): AccessReviewObserver {
  const reviews: ObservedAccessReview[] = [];
  const original = AuthorizationV1Api.prototype.createSubjectAccessReview;
  // A second observer would call the first as its original, and the first would call itself.
  if (jest.isMockFunction(original)) {
    throw new Error(
      'SubjectAccessReviews are already observed: restore() the other observer first',
    );
  }
  const spy = jest
    .spyOn(AuthorizationV1Api.prototype, 'createSubjectAccessReview')
    .mockImplementation(async function observed(
      this: AuthorizationV1Api,
      ...args: Parameters<typeof original>
    ) {
      const { spec } = args[0].body;
      const review: ObservedAccessReview = {
        user: spec.user,
        groups: spec.groups ?? [],
        resourceAttributes: spec.resourceAttributes,
        startedAt: Date.now(),
        endedAt: NaN,
      };
      reviews.push(review);
      try {
        const answer = await original.apply(this, args);
        review.allowed = answer.status?.allowed === true;
        return answer;
      } finally {
        review.endedAt = Date.now();
      }
    });
  return { reviews, restore: () => spy.mockRestore() };
}

/**
 * The sandbox's records of SubjectAccessReviews created while `review` was in flight: the call as
 * the cluster saw it (who asked, and whether it might).
 */
export function requestLogRecordsOf(
  sandbox: Sandbox,
  review: ObservedAccessReview,
): RequestRecord[] {
  return sandbox.requestLog.entries(r => {
    const at = Date.parse(r.time);
    return (
      r.verb === 'create' &&
      r.apiGroup === 'authorization.k8s.io' &&
      r.resource === 'subjectaccessreviews' &&
      at >= review.startedAt &&
      at <= review.endedAt
    );
  });
}
