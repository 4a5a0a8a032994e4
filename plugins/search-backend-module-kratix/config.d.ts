import type { SchedulerServiceTaskScheduleDefinitionConfig } from '@backstage/backend-plugin-api';

export interface Config {
  search?: {
    collators?: {
      /** The Kratix collators: Resources (`kratix-resource`) and Promises (`kratix-promise`). */
      kratix?: {
        /**
         * When the index is rebuilt. Default: every 10 minutes, with a 15-minute timeout, starting
         * 3 seconds after start-up. Collation reads the watch-fed caches, so it costs no cluster calls.
         * @visibility backend
         */
        schedule?: SchedulerServiceTaskScheduleDefinitionConfig;
        /**
         * Names of the clusters (from kratix.clusters) to index. Default: every configured cluster.
         * @visibility backend
         */
        clusters?: string[];
        /**
         * Names of the Promises whose Resources (and themselves) are indexed. Default: every Promise.
         * @visibility backend
         */
        promises?: string[];
        /**
         * Index the Resources of clusters that act as each user (kratix.clusters[].auth.type
         * impersonate or oidc). Default false: Backstage's search filters results by permission
         * policy only and cannot ask the cluster, per user, whether its RBAC lets them see a
         * Resource, so those Resources stay out of search rather than show to users the cluster
         * hides them from. True indexes them under the Backstage policy alone.
         * @visibility backend
         */
        includeClustersActingAsUser?: boolean;
      };
    };
  };
}
