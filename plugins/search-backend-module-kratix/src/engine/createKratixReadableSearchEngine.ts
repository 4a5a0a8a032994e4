/*
 * The public way to wrap a search engine (see KratixReadableSearchEngine.ts): the wrapper with the
 * search backend's own latency budget and the HTTP conditions client, from the services a search
 * engine module has at hand.
 */
import type {
  AuthService,
  DiscoveryService,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import type { Config } from '@backstage/config';
import type { SearchEngine } from '@backstage/plugin-search-backend-node';
import { conditionsApplier } from './conditionsApplier';
import { KratixReadableSearchEngine } from './KratixReadableSearchEngine';

/**
 * The services {@link createKratixReadableSearchEngine} needs: those of a search backend module
 * (`coreServices.permissions`, `discovery`, `auth` and `rootConfig`).
 *
 * @public
 */
export interface CreateKratixReadableSearchEngineOptions {
  /** Asks the policy for the caller's `kratix.resource.read`, once per query. */
  permissions: PermissionsService;
  /** Finds the Kratix backend plugin, which applies the policy's conditions to a page. */
  discovery: DiscoveryService;
  /** Issues the token for that call, on behalf of the user searching. */
  auth: AuthService;
  /**
   * Read for `search.permissions.queryLatencyBudgetMs` (declared by the search backend; default
   * 1000): how long one filtered page may take before it ends with what it has, and no next page.
   */
  config: Config;
}

/**
 * Wraps a search engine so that its pages, counts and cursors say nothing about Kratix Resources
 * the caller may not read.
 *
 * @remarks
 * Backstage's search backend filters results by permission above the engine and offers a next page
 * whenever the engine had one: when a caller's readable results end at a page's end and unreadable
 * ones follow, that cursor leads to an empty page and tells them more matched. For a caller whose
 * `kratix.resource.read` decision is conditional, the returned engine filters `kratix-resource`
 * results itself (the policy asked once per query, its conditions applied by the plugin that owns
 * the resource type, one call per engine page), offers a next page only when a readable Resource
 * lies beyond it, and reports no count. Other callers, and other document types, get the wrapped
 * engine's answer, filtered by the search backend as before. Any failure fails the query.
 *
 * Set it as the search engine in a search backend module:
 * `engines.setSearchEngine(createKratixReadableSearchEngine(engine, { permissions, discovery, auth, config }))`.
 *
 * @param engine - The engine that holds the index (Lunr, PostgreSQL, Elasticsearch, ...).
 * @public
 */
export function createKratixReadableSearchEngine(
  engine: SearchEngine,
  options: CreateKratixReadableSearchEngineOptions,
): SearchEngine {
  const { permissions, discovery, auth, config } = options;
  return new KratixReadableSearchEngine(engine, permissions, {
    // The search backend's own filter reads the same key, with the same default.
    latencyBudgetMs:
      config.getOptionalNumber('search.permissions.queryLatencyBudgetMs') ??
      1000,
    applyConditions: conditionsApplier({ discovery, auth }),
  });
}
