/*
 * Per-user cluster auth (`kratix.clusters[].auth.type` `impersonate` or `oidc`): the cluster's own
 * RBAC, admission and audit see the signed-in user, not Backstage's service account. The service
 * account (auth.token) still keeps the shared watch caches; what a user does runs as the user, and
 * what a user is shown is also checked with a SubjectAccessReview for the mapped user.
 */
import { parseEntityRef } from '@backstage/catalog-model';
import {
  AuthenticationError,
  InputError,
  NotAllowedError,
} from '@backstage/errors';
import type { KratixClusterDetails } from '../clusterDetails';

/**
 * The Backstage user a cluster call is made for.
 *
 * @public
 */
export interface KratixCaller {
  /** The user entity ref, e.g. `user:default/guest`. */
  userEntityRef: string;
  /** The user's ownership refs (the user and its groups), from Backstage's user info. */
  ownershipEntityRefs: string[];
  /** The user entity's `spec.profile.email`, when the mapping needs it. */
  email?: string;
  /** ID tokens the caller's request carried, by Backstage auth provider id (`oidc` clusters). */
  idTokens?: Record<string, string>;
}

/**
 * How a Backstage user is named at the cluster: the Kubernetes user and groups that
 * `Impersonate-User`/`Impersonate-Group` send and SubjectAccessReviews ask about.
 *
 * @public
 */
export interface KratixUserMapping {
  /** `name` (default): the user entity's name; `email`: its profile email; `ref`: the full ref. */
  user: 'name' | 'email' | 'ref';
  /** Put before the user name (default none). */
  userPrefix: string;
  /** Put before each group's name (default `backstage:`); a group outside `default` keeps its namespace. */
  groupPrefix: string;
}

/**
 * A cluster's per-user auth.
 *
 * @public
 */
export type KratixClusterUserAuth =
  | ({ type: 'impersonate' } & KratixUserMapping)
  | ({
      type: 'oidc';
      /** The Backstage auth provider whose ID token the frontend forwards (e.g. `oidc`, `google`). */
      provider: string;
    } & KratixUserMapping);

export const USER_AUTH_TYPES = ['impersonate', 'oidc'];

function optional(
  details: KratixClusterDetails,
  key: string,
): string | undefined {
  const value = details.auth?.[key];
  if (value === undefined || typeof value === 'string') return value;
  throw new InputError(
    `kratix.clusters[${details.name}].auth.${key} must be a string`,
  );
}

/** The cluster's per-user auth, or undefined when it acts as the service account alone. */
export function userAuthOf(
  details: KratixClusterDetails,
): KratixClusterUserAuth | undefined {
  const type = details.auth?.type;
  if (type !== 'impersonate' && type !== 'oidc') return undefined;
  const user = optional(details, 'user') ?? 'name';
  if (user !== 'name' && user !== 'email' && user !== 'ref') {
    throw new InputError(
      `kratix.clusters[${details.name}].auth.user must be "name", "email" or "ref", not "${user}"`,
    );
  }
  const mapping: KratixUserMapping = {
    user,
    userPrefix: optional(details, 'userPrefix') ?? '',
    groupPrefix: optional(details, 'groupPrefix') ?? 'backstage:',
  };
  if (type === 'impersonate') return { type, ...mapping };
  const provider = optional(details, 'oidcTokenProvider');
  if (!provider) {
    throw new InputError(
      `kratix.clusters[${details.name}].auth.oidcTokenProvider is required for type oidc (the Backstage auth provider whose ID token is sent, e.g. "oidc")`,
    );
  }
  return { type, provider, ...mapping };
}

/** The Kubernetes user and groups a Backstage caller maps to. */
export function kubernetesUserOf(
  cluster: string,
  mapping: KratixUserMapping,
  caller: KratixCaller,
): { username: string; groups: string[] } {
  const ref = parseEntityRef(caller.userEntityRef);
  let name: string;
  if (mapping.user === 'email') {
    if (!caller.email) {
      throw new NotAllowedError(
        `The platform (cluster ${cluster}) names users by email, and ${caller.userEntityRef} has none in the catalog`,
      );
    }
    name = caller.email;
  } else if (mapping.user === 'ref') {
    name = caller.userEntityRef.toLocaleLowerCase('en-US');
  } else {
    name = ref.name;
  }
  const groups = caller.ownershipEntityRefs.flatMap(value => {
    try {
      const group = parseEntityRef(value);
      if (group.kind.toLocaleLowerCase('en-US') !== 'group') return [];
      const local =
        group.namespace.toLocaleLowerCase('en-US') === 'default'
          ? group.name
          : `${group.namespace}/${group.name}`;
      return [`${mapping.groupPrefix}${local}`];
    } catch {
      return [];
    }
  });
  return { username: `${mapping.userPrefix}${name}`, groups };
}

/**
 * The caller has no (valid) ID token for an `oidc` cluster: an AuthenticationError (401) naming the
 * provider to sign in with.
 *
 * @public
 */
export class KratixSignInRequiredError extends AuthenticationError {
  readonly cluster: string;
  readonly provider: string;

  constructor(
    cluster: string,
    provider: string,
    detail = 'no ID token was sent',
  ) {
    super(
      `The platform (cluster ${cluster}) acts as the signed-in user: sign in with the "${provider}" provider and try again (${detail})`,
    );
    this.cluster = cluster;
    this.provider = provider;
  }
}

/** The ID token an `oidc` cluster needs from the caller; 401 naming the provider when absent. */
export function idTokenOf(
  cluster: string,
  provider: string,
  caller: KratixCaller,
): string {
  const token = caller.idTokens?.[provider];
  if (!token) {
    throw new KratixSignInRequiredError(cluster, provider);
  }
  return token;
}
