export interface Config {
  kratix?: {
    /** The condition history behind each Resource's timeline. */
    history?: {
      /** Days a recorded transition is kept. Default 90. */
      retentionDays?: number;
      /**
       * Condition transitions, and separately manage actions, kept per Resource (per incarnation,
       * by uid): the newest are read, older ones are deleted (actions at once, transitions by the
       * hourly prune). Bounds what one Resource's timeline can grow to. Default 1000.
       * @visibility backend
       */
      maxEntriesPerResource?: number;
      /**
       * Timeline entries in one answer of the one-Resource routes: their `timeline` holds the newest
       * this many, older ones come from `…/timeline?before=<cursor>` (a request's `limit` may ask
       * for 1 to 500). Default 100.
       * @visibility backend
       */
      timelinePageSize?: number;
      /**
       * Last lines kept of each failed pipeline container, with its run, so the reason a workflow
       * failed outlives the Pod Kratix collects (read under kratix.resource.logs.read). 0 keeps
       * none. At most 1000. Kept rows follow retentionDays, and at most 20 failed containers are kept
       * per Resource (the newest). Default 50.
       * @visibility backend
       */
      failedLogLines?: number;
    };
    /**
     * Per-user rate limits, per backend instance (a sliding window: at most `max` attempts in any
     * `windowSeconds`; the next one is a 429 with Retry-After and does nothing).
     * @visibility backend
     */
    rateLimits?: {
      /**
       * Manage actions (re-run, pause, resume, update, delete), every attempt counted, refused
       * ones too. Default 150 in 3600 seconds.
       * @visibility backend
       */
      manageActions?: {
        /** Default 150. @visibility backend */
        max?: number;
        /** Default 3600. @visibility backend */
        windowSeconds?: number;
      };
      /**
       * Dry-run creates (POST /resources and the MCP tool create-resource with dryRun), which
       * answer 409 when a name is taken, whoever holds it. Default 60 in 60 seconds.
       * @visibility backend
       */
      dryRuns?: {
        /** Default 60. @visibility backend */
        max?: number;
        /** Default 60. @visibility backend */
        windowSeconds?: number;
      };
    };
    /**
     * Which links from catalog entities to Kratix Resources are honoured.
     * - `platform` (default): only links the platform side confirms — the Resource's
     *   `kratix.backstage.io/entity-ref` names the entity, the entity was produced by the Kratix
     *   catalog provider, or `kratix.namespaceOwners` maps the Resource's namespace to the entity's
     *   owner.
     * - `catalog`: every link an entity's annotations claim. WEAKER: anyone who can get an entity
     *   into the catalog (a registered location, a pull request to any catalog file) can then read
     *   any Resource. Only for catalogs that only administrators can write.
     * @visibility backend
     */
    linkTrust?: 'platform' | 'catalog';
    /**
     * Namespaces whose Resources belong to a team: a link from an entity owned by one of `owners`
     * to a Resource in `namespace` (on `cluster`, or on every cluster) is confirmed, and the
     * permission rule IS_RESOURCE_OWNER counts these owners for the namespace's Resources.
     * @visibility backend
     */
    namespaceOwners?: Array<{
      /** The cluster (a name from kratix.clusters); every cluster when unset. */
      cluster?: string;
      namespace: string;
      /** Entity refs of the owning groups or users (a bare name means a group). */
      owners: string[];
    }>;
    /**
     * The group that runs the platform: the app's permission policy lets its members read every
     * Resource (including those no entity links to) and create Resources for no entity.
     * @visibility backend
     */
    platformTeam?: string;
    /**
     * Caches on the read path. Each one can delay a change reaching the Kratix routes by at most its
     * bound; 0 turns it off. See the README's security model.
     */
    cache?: {
      /**
       * Seconds a caller's policy decisions (catalog.entity.read, kratix.resource.read) are reused.
       * Bounds how long a policy change takes to apply. Default 10.
       */
      decisionSeconds?: number;
      /**
       * Seconds a catalog entity is reused (the caller's own read decision is applied to it every
       * time). Bounds how long an entity change (owner, annotations) takes to apply. Default 10.
       */
      entitySeconds?: number;
      /**
       * Seconds an entity's request-ledger rows (its requests delivered through Git) are reused by
       * reads on this replica. Writes through this replica (a request made here, the tracker's
       * moves) apply at once; a request made through another replica shows here within this bound.
       * Who sees which request is decided on every read, never kept. Default 2; 0 = query every
       * read (reads in flight at the same time still share one query).
       */
      requestsSeconds?: number;
    };
    /** Live event streams (GET /entities/.../events). */
    streams?: {
      /** Open streams one user (or service) may hold per backend instance; more get 429. Default 20. */
      maxPerUser?: number;
      /**
       * Seconds between re-loads of the entity as the caller on an open stream (catalog visibility and
       * entity changes). Default 60. Every frame and refresh is also decided afresh (decisions no older than kratix.cache.decisionSeconds).
       */
      reauthorizeSeconds?: number;
      /** Seconds between re-reads of the cache (and policy decisions) on an open stream. Default 10. */
      refreshSeconds?: number;
      /** Seconds after which a stream ends (clients reconnect and are authorized afresh). Default 600. */
      maxDurationSeconds?: number;
      /**
       * The largest snapshot one frame may carry, in bytes; also what one stream may hold unsent, as
       * a stream keeps at most one frame (the newest) while its client is not reading. An entity
       * whose snapshot is bigger gets a final `limit` event instead (the tab says live updates are
       * off for it). Default 1048576 (1 MiB, about 2,000 linked Resources).
       */
      maxFrameBytes?: number;
      /**
       * Bytes all of one user's (or service's) streams may hold unsent, per backend instance; a
       * frame that would pass it waits for another of their streams to drain or close. At least
       * maxFrameBytes. Default 4194304 (4 MiB).
       */
      maxBufferedBytesPerUser?: number;
      /**
       * Seconds a stream may wait for its client to take a frame (or for room in the user's
       * budget) before it is closed and what it holds is freed. Default 30.
       */
      drainTimeoutSeconds?: number;
    };
    /**
     * Requests delivered through Git (`kratix.clusters[].delivery`): how the request ledger follows
     * them until the platform has them.
     * @visibility backend
     */
    delivery?: {
      /**
       * A request not applied this many minutes after its commit is `stale`. Default 60.
       * @visibility backend
       */
      staleAfterMinutes?: number;
      /**
       * How often pending requests are checked (stale, and pull requests closed unmerged). Default 60.
       * @visibility backend
       */
      checkIntervalSeconds?: number;
    };
    /**
     * Backstage notifications to the people who asked (the requester and the owners of the entity
     * the platform binds the Resource to) when their Resources change. See docs/notifications.md.
     */
    notifications?: {
      /**
       * Default: on when `@backstage/plugin-notifications-backend` is installed in this backend
       * (otherwise off, logged once). `true` sends anyway, for a notifications backend elsewhere.
       * @visibility backend
       */
      enabled?: boolean;
      /**
       * The events sent: `completed`, `failed`, `works-failing`, `health`, `deleted`,
       * `delete-failed`, `stuck`. Default: all but `stuck` (all, when stuckAfterMinutes is set).
       * @visibility backend
       */
      events?: Array<
        | 'completed'
        | 'failed'
        | 'works-failing'
        | 'health'
        | 'deleted'
        | 'delete-failed'
        | 'stuck'
      >;
      /**
       * Per-Promise overrides, by Promise name: `enabled: false` sends nothing for its Resources;
       * `events` replaces the list above.
       * @visibility backend
       */
      promises?: {
        [promise: string]: {
          enabled?: boolean;
          events?: Array<
            | 'completed'
            | 'failed'
            | 'works-failing'
            | 'health'
            | 'deleted'
            | 'delete-failed'
            | 'stuck'
          >;
        };
      };
      /**
       * Minutes a Resource may stay not done (workflow in progress, or Works pending) after its
       * run started before a reminder is sent, once per run. Off when unset.
       * @visibility backend
       */
      stuckAfterMinutes?: number;
      /**
       * Entity refs (groups or users, e.g. the platform team) told about Resources that no entity
       * is confirmed to own. Default: none, so such Resources notify only their requester.
       * @visibility backend
       */
      unownedRecipients?: string[];
      /**
       * A transition already older than this many minutes when first seen (first install, a long
       * outage) is recorded as handled without a notification. Default 60.
       * @visibility backend
       */
      maxTransitionAgeMinutes?: number;
    };
    /** Pipeline logs (GET …/logs, …/runs, the MCP action get-resource-logs). */
    logs?: {
      /**
       * Log bytes in one answer (a read, a follow, or the MCP action); a longer log is cut there
       * (header X-Kratix-Log-Truncated; a follow ends). Ask with tailLines for a log's end.
       * Default 1048576 (1 MiB).
       * @visibility backend
       */
      maxBytesPerResponse?: number;
      /** Seconds a follow (`follow=true`) may stay open; then it ends. Default 600. */
      maxFollowSeconds?: number;
      /**
       * Follows one user (or service) may hold open per backend instance; more get 429 with
       * Retry-After. Default 5.
       */
      maxFollowsPerUser?: number;
    };
  };
}
