/* What the cluster service needs to know about one Kratix platform cluster, wherever it came from. */

/**
 * How Backstage authenticates to a cluster. `type` picks the auth strategy (built in:
 * `serviceAccount`, `kubeconfig`, `inCluster`); the other keys are that strategy's settings.
 *
 * @public
 */
export interface KratixClusterAuth {
  type: string;
  [key: string]: unknown;
}

/**
 * One Kratix platform cluster, as configured under `kratix.clusters` or returned by a cluster supplier.
 *
 * @public
 */
export interface KratixClusterDetails {
  /** Name users and annotations refer to the cluster by. */
  name: string;
  /** Shown in the UI instead of the name. */
  title?: string;
  /** An emulated platform (not a real cluster): the UI says so next to its Resources. */
  sandbox?: boolean;
  /** Kubernetes API server URL; optional for auth strategies that bring their own (kubeconfig, inCluster). */
  url?: string;
  /** How Backstage authenticates; no credentials when unset. */
  auth?: KratixClusterAuth;
  /** PEM CA bundle of the API server, base64-encoded as in a kubeconfig. */
  caData?: string;
  /** File holding the PEM CA bundle of the API server. */
  caFile?: string;
  /** Do not verify the API server's certificate (never in production). */
  skipTLSVerify?: boolean;
  /** Give up on a call to this cluster after this many milliseconds. Default 10000. */
  requestTimeoutMs?: number;
  /** How requests reach the cluster; direct (the Kubernetes API) when unset. */
  delivery?: KratixClusterDelivery;
}

/**
 * Where a Git delivery writes (`kratix.clusters[].delivery`, or per Promise under its `promises`).
 *
 * @public
 */
export interface KratixGitDeliveryTarget {
  /** `gitops`: commit onto `branch`; `pull-request`: push a branch and open a pull request against it. */
  mode: 'gitops' | 'pull-request';
  /** The repository's clone URL; its credentials come from Backstage's `integrations`. */
  repository: string;
  /** The branch the GitOps agent syncs (and pull requests target). Default `main`. */
  branch: string;
  /** The folder the agent syncs; files go to `<path>/<cluster>/<namespace>/<promise>/<name>.yaml`. */
  path: string;
  /** A link to a commit, `{repository}` (the URL without `.git`) and `{sha}` filled in; default: the forge's. */
  commitUrlTemplate?: string;
}

/**
 * How requests reach a cluster: `direct` (the default) or through Git, with per-Promise overrides.
 *
 * @public
 */
export interface KratixClusterDelivery {
  mode: 'direct' | 'gitops' | 'pull-request';
  repository?: string;
  branch?: string;
  path?: string;
  commitUrlTemplate?: string;
  /** Per Promise (by name): any of the keys above, over the cluster's. */
  promises?: Record<
    string,
    Partial<Omit<KratixClusterDelivery, 'promises'>> | undefined
  >;
}
