/*
 * The create-only kinds that ask the API server about identity and access, never stored:
 * authorization.k8s.io/v1 SubjectAccessReview, SelfSubjectAccessReview, LocalSubjectAccessReview and
 * SelfSubjectRulesReview (`kubectl auth can-i`, `--list`), and authentication.k8s.io
 * SelfSubjectReview (`kubectl auth whoami`; v1beta1 for kubectl 1.27).
 */
import type { ResourceType } from '../store/types';

export const AUTHORIZATION_GROUP = 'authorization.k8s.io';
export const AUTHENTICATION_GROUP = 'authentication.k8s.io';

const review = (
  group: string,
  kind: string,
  namespaced = false,
  versions = ['v1'],
): ResourceType => ({
  group,
  versions,
  storageVersion: 'v1',
  kind,
  listKind: `${kind}List`,
  plural: `${kind.toLowerCase()}s`,
  singular: kind.toLowerCase(),
  namespaced,
  statusSubresource: false,
  createOnly: true,
});

export const SUBJECT_ACCESS_REVIEW_TYPE = review(
  AUTHORIZATION_GROUP,
  'SubjectAccessReview',
);
export const SELF_SUBJECT_ACCESS_REVIEW_TYPE = review(
  AUTHORIZATION_GROUP,
  'SelfSubjectAccessReview',
);
export const LOCAL_SUBJECT_ACCESS_REVIEW_TYPE = review(
  AUTHORIZATION_GROUP,
  'LocalSubjectAccessReview',
  true,
);
export const SELF_SUBJECT_RULES_REVIEW_TYPE = review(
  AUTHORIZATION_GROUP,
  'SelfSubjectRulesReview',
);
export const SELF_SUBJECT_REVIEW_TYPE = review(
  AUTHENTICATION_GROUP,
  'SelfSubjectReview',
  false,
  ['v1', 'v1beta1'],
);

export const REVIEW_TYPES: ResourceType[] = [
  SUBJECT_ACCESS_REVIEW_TYPE,
  SELF_SUBJECT_ACCESS_REVIEW_TYPE,
  LOCAL_SUBJECT_ACCESS_REVIEW_TYPE,
  SELF_SUBJECT_RULES_REVIEW_TYPE,
  SELF_SUBJECT_REVIEW_TYPE,
];
