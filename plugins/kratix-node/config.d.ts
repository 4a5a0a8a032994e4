export interface Config {
  kratix?: {
    /**
     * The Kratix platform clusters Backstage reads Resources from and creates them on. When none is
     * listed and `kratix.sandbox.enabled` is true, the sandbox is the only cluster.
     */
    clusters?: Array<{
      /** Name users and annotations refer to the cluster by (`<cluster>:<promise>/<ns>/<name>`). */
      name: string;
      /** Shown in the UI instead of the name. */
      title?: string;
      /** Use the embedded sandbox platform (kratix.sandbox) as this cluster; url and auth are ignored. */
      sandbox?: boolean;
      /**
       * Kubernetes API server URL, e.g. https://platform.example.com:6443. The Kubernetes client
       * refuses plain http:// URLs unless skipTLSVerify is true.
       */
      url?: string;
      /** How Backstage authenticates to the cluster. */
      auth?: {
        /** serviceAccount: a bearer token; kubeconfig: a file and context; inCluster: the pod's account. */
        type: 'serviceAccount' | 'kubeconfig' | 'inCluster';
        /**
         * Service account token, for type serviceAccount.
         * @visibility secret
         */
        token?: string;
        /** Kubeconfig file, for type kubeconfig (default: $KUBECONFIG or ~/.kube/config). */
        kubeconfigPath?: string;
        /** Context in the kubeconfig file (default: its current context). */
        context?: string;
      };
      /**
       * PEM CA bundle of the API server, base64-encoded as in a kubeconfig.
       * @visibility secret
       */
      caData?: string;
      /** File holding the PEM CA bundle of the API server. */
      caFile?: string;
      /** Do not verify the API server's certificate (never in production). */
      skipTLSVerify?: boolean;
      /** Give up on a call to this cluster after this many milliseconds. Default 10000. */
      requestTimeoutMs?: number;
    }>;
    /** Bounds on what Backstage users may create through Backstage. */
    creation?: {
      /** Promises whose Resources may be created; all when unset. */
      allowedPromises?: string[];
      /** Namespaces Resources may be created in. Default: ['default']. */
      allowedNamespaces?: string[];
      /** Clusters Resources may be created on; all when unset. */
      allowedClusters?: string[];
    };
  };
}
