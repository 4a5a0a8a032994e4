import type { SchedulerServiceTaskScheduleDefinitionConfig } from '@backstage/backend-plugin-api';

export interface Config {
  catalog?: {
    providers?: {
      /**
       * The Kratix entity provider: an entity per Promise (Component, type kratix-promise), per
       * Resource (Resource, type kratix-resource) and a software template per Promise, for every
       * cluster configured under `kratix.clusters`.
       * @visibility backend
       */
      kratix?: {
        /**
         * Names of the `kratix.clusters` to ingest (default: every configured cluster).
         * @visibility backend
         */
        clusters?: string[];
        /**
         * Names of the Promises to ingest, with their Resources (default: every Promise).
         * @visibility backend
         */
        promises?: string[];
        /**
         * Owner of Promise entities, templates, and of Resource entities whose Resource names no
         * owner (an entity reference; a bare name is a group). Default `group:default/kratix-platform`.
         * @visibility backend
         */
        defaultOwner?: string;
        /**
         * System of the ingested entities when a Resource names none (an entity reference).
         * @visibility backend
         */
        defaultSystem?: string;
        /**
         * How often each cluster is read in full (default every minute; timeout 3 minutes). Between
         * full reads, Resource changes from the cluster's watch are applied as they happen.
         * @visibility backend
         */
        schedule?: SchedulerServiceTaskScheduleDefinitionConfig;
        /**
         * Generate a software template per Promise (default true).
         * @visibility backend
         */
        templates?: boolean;
      };
    };
  };
}
