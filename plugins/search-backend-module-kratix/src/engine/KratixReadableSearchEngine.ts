/*
 * A search engine wrapper whose pages say nothing about Kratix Resources the caller may not read.
 *
 * The search backend filters results by permission above the engine (its AuthorizedSearchEngine):
 * it reads engine pages until it has enough readable results, then offers a next page whenever the
 * engine had one. When the readable results end exactly at a page's end and unreadable ones follow,
 * that cursor leads to an empty page: it tells the caller that more matched, which they may not
 * see (ask for `pageLimit` = what you can read, and a cursor appears or not).
 *
 * For a caller whose `kratix.resource.read` is conditional, this wrapper filters `kratix-resource`
 * results itself, in engine pages of ENGINE_PAGE, and offers a next page only when it has already
 * found a readable result there. The results it returns carry no `authorization` (the router
 * strips it from answers anyway), so the search backend does not ask about them again; other types
 * keep theirs and are filtered above, as before. A caller allowed every Resource, or none, gets the
 * engine's own answer, count included.
 *
 * The conditions are the policy's, asked once per query (authorizeConditional), and applied to an
 * engine page in one call to the plugin that owns the resource type, at the permission framework's
 * own endpoint (`.well-known/backstage/permissions/apply-conditions`, one item naming every ref):
 * what the permission backend does for each `authorize` with a resourceRef, without asking the
 * policy again for every result (one `authorize` of 100 refs ran the policy 100 times and cost
 * about as much as the rest of the query). Any failure fails the query: nothing is shown undecided.
 */
import { InputError } from '@backstage/errors';
import type { PermissionsService } from '@backstage/backend-plugin-api';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import type {
  QueryRequestOptions,
  QueryTranslator,
  SearchEngine,
} from '@backstage/plugin-search-backend-node';
import {
  KRATIX_RESOURCE_SEARCH_TYPE,
  kratixResourceReadPermission,
} from '@kratix-backstage/plugin-kratix-common';
import type { ConditionsApplier } from './conditionsApplier';

type SearchQuery = Parameters<SearchEngine['query']>[0];
type ResultSet = Awaited<ReturnType<SearchEngine['query']>>;
type Result = ResultSet['results'][number];

/**
 * Engine results read per step of a filtered page (one conditions call each). Each step costs a
 * few fixed hops (an engine query, a token, an HTTP call, the owning plugin's catalog lookup) and
 * little per result, so a step reads enough for a page when one caller reads one result in ten.
 */
export const ENGINE_PAGE = 250;

/** Where a filtered page starts: an engine page (its cursor) and how many of its results to skip. */
interface Position {
  cursor?: string;
  skip: number;
}

const encodePosition = (position: Position) =>
  Buffer.from(JSON.stringify(position)).toString('base64url');

function decodePosition(cursor: string | undefined): Position {
  if (!cursor) return { skip: 0 };
  try {
    const position = JSON.parse(Buffer.from(cursor, 'base64url').toString());
    if (
      Number.isInteger(position.skip) &&
      position.skip >= 0 &&
      (position.cursor === undefined || typeof position.cursor === 'string')
    ) {
      return { cursor: position.cursor, skip: position.skip };
    }
  } catch {
    // Not one of ours: refused below.
  }
  // A 400, as the search backend's own filter answers a cursor it did not issue.
  throw new InputError('Invalid page cursor');
}

export interface KratixReadableSearchEngineOptions {
  /**
   * How long one filtered page may take (search.permissions.queryLatencyBudgetMs, as the search
   * backend's own filter): past it the page ends with what it has, and without a next page.
   */
  latencyBudgetMs: number;
  applyConditions: ConditionsApplier;
}

export class KratixReadableSearchEngine implements SearchEngine {
  constructor(
    private readonly engine: SearchEngine,
    private readonly permissions: PermissionsService,
    private readonly options: KratixReadableSearchEngineOptions,
  ) {}

  setTranslator(translator: QueryTranslator): void {
    this.engine.setTranslator(translator);
  }

  getIndexer(type: string) {
    return this.engine.getIndexer(type);
  }

  async query(
    query: SearchQuery,
    options?: QueryRequestOptions,
  ): Promise<ResultSet> {
    const credentials =
      options && 'credentials' in options ? options.credentials : undefined;
    // The search backend always names the types it asks for; without them, or without a caller,
    // it is not the permission-filtered path.
    if (!credentials || !query.types?.includes(KRATIX_RESOURCE_SEARCH_TYPE)) {
      return this.engine.query(query, options);
    }
    const [decision] = await this.permissions.authorizeConditional(
      [{ permission: kratixResourceReadPermission }],
      { credentials },
    );
    if (decision.result === AuthorizeResult.ALLOW) {
      return this.engine.query(query, options);
    }
    // Denied every Resource: none is shown, and nobody is asked.
    const conditional =
      decision.result === AuthorizeResult.CONDITIONAL ? decision : undefined;
    return this.readablePage(query, options!, async results => {
      const asked = results.flatMap((result, index) => {
        const ref = result.document.authorization?.resourceRef;
        return result.type === KRATIX_RESOURCE_SEARCH_TYPE && ref
          ? [{ index, ref }]
          : [];
      });
      const readable = results.map(
        result => result.type !== KRATIX_RESOURCE_SEARCH_TYPE,
      );
      if (!conditional || asked.length === 0) {
        return readable;
      }
      const allowed = await this.options.applyConditions(
        conditional,
        asked.map(({ ref }) => ref),
        credentials,
      );
      asked.forEach(({ index }, i) => {
        readable[index] = allowed[i] === true;
      });
      return readable;
    });
  }

  private async readablePage(
    query: SearchQuery,
    options: QueryRequestOptions,
    readable: (results: Result[]) => Promise<boolean[]>,
  ): Promise<ResultSet> {
    const pageSize = query.pageLimit || 25;
    const deadline = Date.now() + this.options.latencyBudgetMs;
    const page: Result[] = [];
    let position = decodePosition(query.pageCursor);
    let next: Position | undefined;
    for (;;) {
      const batch = await this.engine.query(
        { ...query, pageLimit: ENGINE_PAGE, pageCursor: position.cursor },
        options,
      );
      const rest = batch.results.slice(position.skip);
      const allowed = await readable(rest);
      for (let i = 0; i < rest.length && !next; i++) {
        if (!allowed[i]) continue;
        // One readable result beyond the page: only then is there a next page.
        if (page.length === pageSize) {
          next = { cursor: position.cursor, skip: position.skip + i };
        } else {
          page.push(withoutAuthorization(rest[i]));
        }
      }
      if (next || !batch.nextPageCursor || Date.now() > deadline) break;
      position = { cursor: batch.nextPageCursor, skip: 0 };
    }
    return {
      results: page,
      nextPageCursor: next && encodePosition(next),
      // The search backend numbers filtered pages itself and goes back by its own cursors.
      previousPageCursor: undefined,
      // The engine's count would include what the caller may not read.
      numberOfResults: undefined,
    };
  }
}

/** A Kratix Resource result, decided here: nothing left for the search backend to ask. */
function withoutAuthorization(result: Result): Result {
  if (result.type !== KRATIX_RESOURCE_SEARCH_TYPE) return result;
  const { authorization: _decided, ...document } = result.document;
  return { ...result, document };
}
