export interface Config {
  kratix?: {
    /**
     * Catalog locations whose entities the platform trusts to own Resources by name and owner
     * (`<type>:<target>`, exact or ending in `*` for every target under a prefix, e.g.
     * `url:https://github.com/acme/catalog/blob/main/*`). A Resource that names an entity
     * (`kratix.backstage.io/entity-ref`) without its uid is linked to it only while the entity's owner
     * is the Resource's `kratix.backstage.io/owner` and the entity comes from one of these (or from
     * the location recorded when the Resource was created). Default: the catalog's own
     * `catalog.locations`. Locations users register through the catalog API are never trusted unless
     * listed here.
     * @visibility backend
     */
    trustedLocations?: string[];
    /**
     * The Kratix platform clusters Backstage reads Resources from and creates them on; the first is
     * the default. Installed cluster suppliers (the sandbox's, for one) add theirs after these.
     * @visibility backend
     */
    clusters?: Array<{
      /**
       * Name users and annotations refer to the cluster by (`<cluster>:<promise>/<ns>/<name>`).
       * @visibility backend
       */
      name: string;
      /**
       * Shown in the UI instead of the name.
       * @visibility backend
       */
      title?: string;
      /**
       * Kubernetes API server URL, e.g. https://platform.example.com:6443. The Kubernetes client
       * refuses plain http:// URLs unless skipTLSVerify is true.
       * @visibility backend
       */
      url?: string;
      /**
       * How Backstage authenticates to the cluster.
       * @visibility backend
       */
      auth?: {
        /**
         * serviceAccount: a bearer token; kubeconfig: a file and context; inCluster: the pod's
         * account; impersonate: the service account token, and every write sent with
         * Impersonate-User/Impersonate-Group for the signed-in user (the account needs the
         * `impersonate` verb); oidc: the service account token for the shared caches, and every
         * write sent with the signed-in user's ID token from oidcTokenProvider; or the type of an
         * installed auth strategy (kratixAuthStrategyServiceRef). With impersonate and oidc, what a
         * user is shown is also checked with a SubjectAccessReview for the mapped user.
         * @visibility backend
         */
        type: string;
        /**
         * Service account token, for types serviceAccount, impersonate and oidc.
         * @visibility secret
         */
        token?: string;
        /**
         * impersonate and oidc: how the Backstage user is named at the cluster: `name` (default,
         * the user entity's name), `email` (its spec.profile.email) or `ref` (the entity ref).
         * @visibility backend
         */
        user?: 'name' | 'email' | 'ref';
        /**
         * impersonate and oidc: put before the user name (default none). For oidc, match the API
         * server's --oidc-username-prefix, so the reviews ask about the user the token names.
         * @visibility backend
         */
        userPrefix?: string;
        /**
         * impersonate and oidc: put before each of the user's Backstage groups (default
         * `backstage:`, e.g. `backstage:team-checkout`; a group outside `default` keeps its
         * namespace: `backstage:<namespace>/<name>`).
         * @visibility backend
         */
        groupPrefix?: string;
        /**
         * oidc: the Backstage auth provider whose ID token the frontend forwards (e.g. `oidc`,
         * `google`, `microsoft`, `okta`, `gitlab`).
         * @visibility backend
         */
        oidcTokenProvider?: string;
        /**
         * Kubeconfig file, for type kubeconfig (default: $KUBECONFIG or ~/.kube/config).
         * @visibility backend
         */
        kubeconfigPath?: string;
        /**
         * Context in the kubeconfig file (default: its current context).
         * @visibility backend
         */
        context?: string;
      };
      /**
       * PEM CA bundle of the API server, base64-encoded as in a kubeconfig.
       * @visibility secret
       */
      caData?: string;
      /**
       * File holding the PEM CA bundle of the API server.
       * @visibility backend
       */
      caFile?: string;
      /**
       * Do not verify the API server's certificate (never in production).
       * @visibility backend
       */
      skipTLSVerify?: boolean;
      /**
       * Give up on a call to this cluster after this many milliseconds. Default 10000.
       * @visibility backend
       */
      requestTimeoutMs?: number;
      /**
       * How requests (create, update, delete) reach this cluster. Default `direct`: the Kubernetes
       * API. `gitops` commits the Resource's manifest onto `branch` of `repository`, which a GitOps
       * agent (Flux, Argo CD) syncs to the cluster; `pull-request` pushes a branch and opens a pull
       * (GitHub) or merge (GitLab) request against `branch`. The file is
       * `<path>/<cluster>/<namespace>/<promise>/<name>.yaml`. Credentials come from Backstage's
       * `integrations` for the repository's host, never from here. See docs/gitops.md.
       * @visibility backend
       */
      delivery?: {
        /**
         * direct, gitops or pull-request.
         * @visibility backend
         */
        mode: 'direct' | 'gitops' | 'pull-request';
        /**
         * The repository's clone URL, e.g. https://github.com/acme/platform-requests.git.
         * @visibility backend
         */
        repository?: string;
        /**
         * The branch the GitOps agent syncs, and pull requests target. Default main.
         * @visibility backend
         */
        branch?: string;
        /**
         * The folder the agent syncs. Default kratix-requests.
         * @visibility backend
         */
        path?: string;
        /**
         * A link to a commit, `{repository}` (the URL without .git) and `{sha}` filled in. Default:
         * the forge's own page (GitHub, GitLab, Gitea).
         * @visibility backend
         */
        commitUrlTemplate?: string;
        /**
         * Per Promise (by name): any of mode, repository, branch, path, commitUrlTemplate, over the
         * cluster's.
         * @visibility backend
         */
        promises?: {
          [promise: string]: {
            /** @visibility backend */
            mode?: 'direct' | 'gitops' | 'pull-request';
            /** @visibility backend */
            repository?: string;
            /** @visibility backend */
            branch?: string;
            /** @visibility backend */
            path?: string;
            /** @visibility backend */
            commitUrlTemplate?: string;
          };
        };
      };
    }>;
    /**
     * Bounds on waiting for a Resource (scaffolder kratix:resource:create and kratix:resource:wait,
     * the MCP tool wait-for-resource). A wait holds a scaffolder worker or a request while it runs.
     * @visibility backend
     */
    waits?: {
      /**
       * The longest timeout a wait may ask for, in seconds; a larger timeoutSeconds is refused with
       * a 400 naming the field. Default 900.
       * @visibility backend
       */
      maxSeconds?: number;
      /**
       * Waits one user may have running at once per backend instance, templates and AI assistants
       * together; one more is refused at once. Default 3.
       * @visibility backend
       */
      maxPerUser?: number;
    };
    /**
     * Bounds on what Backstage users may create through Backstage.
     * @visibility backend
     */
    creation?: {
      /**
       * Promises whose Resources may be created; all when unset.
       * @visibility backend
       */
      allowedPromises?: string[];
      /**
       * Namespaces Resources may be created in. Default: ['default'].
       * @visibility backend
       */
      allowedNamespaces?: string[];
      /**
       * Clusters Resources may be created on; all when unset.
       * @visibility backend
       */
      allowedClusters?: string[];
      /**
       * How many levels deep a spec may nest, on create and on update (PATCH); a deeper spec is
       * refused with a 400 naming the field before anything is sent to a cluster. Default 32.
       * @visibility backend
       */
      maxSpecDepth?: number;
    };
    /** Caches of the cluster service. */
    cache?: {
      /**
       * On clusters that act as each user (auth.type impersonate or oidc): seconds a cluster's
       * answer to "may this user get this Resource" (a SubjectAccessReview) is reused, per user
       * and Resource. The longest a revoked RBAC grant can still show a Resource. Default 10; 0
       * asks every time.
       * @visibility backend
       */
      clusterAccessSeconds?: number;
    };
  };
}
