import type { SchedulerServiceTaskScheduleDefinitionConfig } from '@backstage/backend-plugin-api';

export interface Config {
  catalog?: {
    providers?: {
      /**
       * The Kratix entity provider: an entity per Promise (Component, type kratix-promise), per
       * Resource (Resource, type kratix-resource) and a software template per Promise, for every
       * cluster configured under `kratix.clusters`, in the catalog namespace `namespace`.
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
         * Generate a software template per Promise (default true): `false` for none, or an object
         * saying how they are offered.
         * @visibility backend
         */
        templates?:
          | boolean
          | {
              /**
               * Generate the templates (default true).
               * @visibility backend
               */
              enabled?: boolean;
              /**
               * Leave out the generated template of a Promise that a curated template requests: a
               * Template from any other location whose `kratix:resource:create` step names the Promise
               * in `input.promise` (and its cluster in `input.cluster`, or none for the default), or
               * that carries the annotation `kratix.backstage.io/promise` (default true).
               * @visibility backend
               */
              yieldToCurated?: boolean;
              /**
               * The template of a Promise that is not Available: `mark` (default) titles and tags it
               * Unavailable, with the reason, and its name field refuses to go on while the Promise is
               * Unavailable; `omit` leaves it out of the catalog.
               * @visibility backend
               */
              unavailable?: 'mark' | 'omit';
              /**
               * The kinds of entity the template offers as the owner of a request (default
               * `[Component]`): the entities that show the Kratix tab of what they requested.
               * @visibility backend
               */
              ownerKinds?: string[];
            };
        /**
         * The catalog namespace of every entity the provider writes (default `kratix`): Promise
         * entities `component:kratix/<kind>-promise`, templates `template:kratix/<kind>-promise-template`,
         * Resource entities `resource:kratix/<name>-<kind>` (`<namespace>_<name>-<kind>` for a Resource
         * outside the cluster's `default` namespace). Reserved: an entity in it from any other location
         * (a catalog file, a registered URL) is refused, so nobody can take a provider entity's name.
         * Not `default`.
         * @visibility backend
         */
        namespace?: string;
        /**
         * Put each Resource's status (message and state) in its entity's `kratix.io/status`
         * annotation, as Syntasso's portal does (default false). Public to catalog readers: whoever
         * may read the entity reads it, without `kratix.resource.read`.
         * @visibility backend
         */
        publishStatus?: boolean;
        /**
         * Give each Resource entity `dependsOn` relations: its Promise's entity, the entity named by
         * `kratix.backstage.io/entity-ref`, and `kratix.backstage.io/depends-on` (default false).
         * Public to catalog readers: the catalog does not filter relations by permission, so the
         * targets' `dependencyOf` relations name the Resource entity to whoever reads them, and the
         * Resource entity names its targets, hidden ones included, to whoever reads it.
         * @visibility backend
         */
        dependsOn?: boolean;
        /**
         * Install the catalog's entity data parser that drops entities in `namespace` from files
         * and URLs before they take a name (default true). Only one parser can be installed: set
         * false when the app installs its own; a processor still refuses such entities, but their
         * names stay taken until their location is removed.
         * @visibility backend
         */
        entityDataParser?: boolean;
      };
    };
  };
}
