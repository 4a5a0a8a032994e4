/*
 * The search engine: Backstage's PostgreSQL engine (@backstage/plugin-search-backend-module-pg) when
 * the search plugin's database is PostgreSQL (12 or later), so every replica queries and writes one
 * shared index (the scheduler's locks make one replica collate per schedule). Otherwise the
 * in-memory Lunr engine, as the search backend would use by default: the SQLite development app, a
 * single process. Either way wrapped so that a page never hints at a Kratix Resource the caller may
 * not read (createKratixReadableSearchEngine, from the Kratix search module), its conditions applied
 * by the plugin that owns the resource type.
 */
import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { PgSearchEngine } from '@backstage/plugin-search-backend-module-pg';
import { LunrSearchEngine } from '@backstage/plugin-search-backend-node';
import { searchEngineRegistryExtensionPoint } from '@backstage/plugin-search-backend-node/alpha';
import { createKratixReadableSearchEngine } from '@kratix-backstage/plugin-search-backend-module-kratix';

export default createBackendModule({
  pluginId: 'search',
  moduleId: 'kratix-search-engine',
  register(reg) {
    reg.registerInit({
      deps: {
        engines: searchEngineRegistryExtensionPoint,
        database: coreServices.database,
        config: coreServices.rootConfig,
        logger: coreServices.logger,
        permissions: coreServices.permissions,
        discovery: coreServices.discovery,
        auth: coreServices.auth,
      },
      async init({
        engines,
        database,
        config,
        logger,
        permissions,
        discovery,
        auth,
      }) {
        const onPostgres = await PgSearchEngine.supported(database);
        const engine = onPostgres
          ? await PgSearchEngine.fromConfig(config, { database, logger })
          : new LunrSearchEngine({ logger });
        logger.info(
          onPostgres
            ? 'Search index on PostgreSQL, shared by every replica'
            : 'Search index in memory (Lunr): this process only',
        );
        engines.setSearchEngine(
          createKratixReadableSearchEngine(engine, {
            permissions,
            discovery,
            auth,
            config,
          }),
        );
      },
    });
  },
});
