export interface Config {
  kratix?: {
    /**
     * The sandbox platform: an emulated Kratix platform cluster started inside the backend, so the
     * app runs with no real cluster. Not for production.
     * @visibility backend
     */
    sandbox?: {
      /**
       * Start the sandbox inside the backend. Default false.
       * @visibility backend
       */
      enabled?: boolean;
      /**
       * Address the sandbox's Kubernetes API listens on. Default 127.0.0.1.
       * @visibility backend
       */
      host?: string;
      /**
       * Port of the sandbox's Kubernetes API; 0 picks a free one. Default 0.
       * @visibility backend
       */
      port?: number;
      /**
       * Bearer token clients must send; random when unset.
       * @visibility secret
       */
      token?: string;
      /**
       * Write a kubeconfig for the sandbox here (relative to the backend's working directory).
       * @visibility backend
       */
      kubeconfigPath?: string;
      /**
       * Load the default Promises and Resources. Default true.
       * @visibility backend
       */
      seed?: boolean;
      /**
       * More folders of Promise/Resource YAML to load after the seed.
       * @visibility backend
       */
      loadDirs?: string[];
      /**
       * Folder of local executables standing in for pipeline images.
       * @visibility backend
       */
      pipelinesDir?: string;
      /**
       * Minimum duration of each pipeline run in milliseconds, so progress can be seen. Default 1500.
       * @visibility backend
       */
      stepDelayMs?: number;
      /**
       * A pipeline run still going after this many seconds is killed and reported failed (its Job
       * Failed with reason DeadlineExceeded). Fractions allowed. Default 900 (15 minutes).
       * @visibility backend
       */
      pipelineTimeoutSeconds?: number;
      /**
       * Folder for the pipelines' temporary workspaces (relative to the backend's working
       * directory; made mode 0700 when missing); each is removed when its run ends. Default: a new
       * private folder in the OS temp folder (`kratix-sandbox-XXXXXX`, mode 0700), removed on stop.
       * @visibility backend
       */
      workDir?: string;
      /**
       * The Destinations' emulated state store: a folder per Destination with what was scheduled to it
       * (relative to the backend's working directory). Default: `state-store` in the work dir.
       * @visibility backend
       */
      stateStoreDir?: string;
      /**
       * Keep the sandbox state in this file across restarts.
       * @visibility backend
       */
      snapshotFile?: string;
      /**
       * Enforce Kubernetes RBAC (Roles, ClusterRoles and their bindings) on every request, and load
       * the example teams' RBAC with the seed (packages/kratix-sandbox/seed/rbac). The sandbox's own
       * token stays `system:masters`. Default false.
       * @visibility backend
       */
      rbac?: boolean;
      /**
       * Fixed bearer tokens for named users, to call the sandbox as someone other than its admin
       * (kube-apiserver's --token-auth-file), e.g. `kratix-backstage` under the seeded RBAC.
       */
      users?: Array<{
        /**
         * The bearer token.
         * @visibility secret
         */
        token: string;
        /**
         * The Kubernetes user name.
         * @visibility backend
         */
        username: string;
        /**
         * The user's Kubernetes groups (`system:authenticated` is added).
         * @visibility backend
         */
        groups?: string[];
      }>;
      /**
       * A requests repository served over Git smart HTTP on 127.0.0.1 (Debian's `git http-backend`;
       * `git` must be installed), and a Git sync that applies what its branch holds under `path`
       * to the sandbox as Flux does with `prune: true`: new and changed files are applied, objects
       * whose file is removed are deleted. Off unless `enabled`.
       * @visibility backend
       */
      git?: {
        /**
         * Start the Git server and the sync with the sandbox. Default false.
         * @visibility backend
         */
        enabled?: boolean;
        /**
         * Port of the Git server on 127.0.0.1; 0 picks a free one. Default 0.
         * @visibility backend
         */
        port?: number;
        /**
         * HTTP basic auth user name for clone and push. Default `kratix`.
         * @visibility backend
         */
        username?: string;
        /**
         * HTTP basic auth password; random when unset. Nobody clones or pushes without it.
         * @visibility secret
         */
        token?: string;
        /**
         * The branch synced (the repository's first commit is made on it). Default `main`.
         * @visibility backend
         */
        branch?: string;
        /**
         * The folder synced: every .yaml/.yml file under it. Default `kratix-requests/`.
         * @visibility backend
         */
        path?: string;
        /**
         * Seconds between syncs; 0 syncs only on demand. Fractions allowed. Default 10.
         * @visibility backend
         */
        intervalSeconds?: number;
        /**
         * Keep the bare repository in this folder (relative to the backend's working directory),
         * reused across restarts; pair it with `snapshotFile`, or a new empty repository makes
         * the first sync delete what an earlier one applied. Default: a temp folder removed on stop.
         * @visibility backend
         */
        repositoryDir?: string;
        /**
         * `gitops`: the sandbox cluster takes requests from Backstage as commits to this Git server
         * (kratix.clusters[].delivery for the sandbox), which the sync applies. Credentials come from
         * an `integrations.gitea` entry for `127.0.0.1:<port>` with `username` and `token` as its
         * password. Default `direct`.
         * @visibility backend
         */
        delivery?: 'direct' | 'gitops';
        /**
         * Promises whose requests to the sandbox go through this Git server even when `delivery`
         * is `direct` (the sandbox cluster's `delivery.promises.<name>.mode: gitops`), e.g.
         * `[elastic-cloud]`: those requests are commits the sync applies, the rest stay direct.
         * Default none.
         * @visibility backend
         */
        gitopsPromises?: string[];
      };
      /**
       * Accept OpenID Connect ID tokens as bearer tokens, as kube-apiserver's `--oidc-*` flags do:
       * the issuer must match exactly, `aud` must contain the client id, expired tokens are
       * refused (401 `token expired at ...`), and keys come from the issuer's discovery document.
       * The sandbox's own token keeps working alongside.
       * @visibility backend
       */
      oidc?: {
        /**
         * The issuer URL exactly as tokens' `iss` says it; https (http only for a loopback issuer).
         * @visibility backend
         */
        issuerUrl: string;
        /**
         * The client id tokens must be issued for (their `aud` must contain it).
         * @visibility backend
         */
        clientId: string;
        /**
         * The claim to take the user name from. Default `sub`; `email` is common.
         * @visibility backend
         */
        usernameClaim?: string;
        /**
         * Put before every user name. Default `<issuerUrl>#`, or none when the claim is `email`;
         * `-` means none.
         * @visibility backend
         */
        usernamePrefix?: string;
        /**
         * The claim holding the user's groups (a string or an array of strings).
         * @visibility backend
         */
        groupsClaim?: string;
        /**
         * Put before every group, e.g. `oidc:` (keeps the issuer from naming `system:` groups).
         * @visibility backend
         */
        groupsPrefix?: string;
        /**
         * PEM of the CA that signed the issuer's HTTPS certificate, when not a public one.
         * @visibility backend
         */
        caPem?: string;
        /**
         * Accepted signature algorithms. Default `[RS256]`, as kube-apiserver.
         * @visibility backend
         */
        signingAlgorithms?: string[];
      };
    };
  };
}
