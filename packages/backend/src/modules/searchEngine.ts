/*
 * The search engine: Backstage's PostgreSQL engine (@backstage/plugin-search-backend-module-pg) when
 * the search plugin's database is PostgreSQL, so every replica queries and writes one shared index
 * (the scheduler's locks make one replica collate per schedule). Otherwise nothing is added and the
 * search backend keeps its in-memory Lunr index: the SQLite development app, a single process.
 * The PostgreSQL module would itself skip registration on SQLite, but with a warning on every start.
 */
import {
  coreServices,
  createBackendFeatureLoader,
} from '@backstage/backend-plugin-api';
import type { Config } from '@backstage/config';

/** The database client the search plugin gets: its own override, else the backend's. */
export function searchDatabaseClient(config: Config): string | undefined {
  return (
    config.getOptionalString('backend.database.plugin.search.client') ??
    config.getOptionalString('backend.database.client')
  );
}

export default createBackendFeatureLoader({
  deps: { config: coreServices.rootConfig },
  *loader({ config }) {
    if (searchDatabaseClient(config) === 'pg') {
      yield import('@backstage/plugin-search-backend-module-pg');
    }
  },
});
