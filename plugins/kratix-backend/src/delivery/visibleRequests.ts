/*
 * Which of an entity's pending requests a caller may see: the ones they asked for, and all of them
 * for the entity's owners (its ownedBy relations, against the caller's ownership refs). A request
 * binds to the entity's identity: one made for an earlier entity of the same name (another uid) is
 * not this entity's. Nobody else learns a request exists.
 */
import type {
  BackstageCredentials,
  UserInfoService,
} from '@backstage/backend-plugin-api';
import {
  RELATION_OWNED_BY,
  stringifyEntityRef,
  type Entity,
} from '@backstage/catalog-model';
import type { KratixRequestView } from '@kratix-backstage/plugin-kratix-common';
import type { RecordedRequest, RequestLedger } from '../requests';

/**
 * An entity's ledger rows, kept for `ttlMs` (kratix.cache.requestsSeconds) and dropped at every
 * write through this replica's ledger, so this replica's own requests and the tracker's moves show
 * at once and another replica's new request within the bound. Concurrent reads share one query
 * (a change reaches every open stream on the entity at once: 100 users' streams made 100
 * identical queries); with a ttl of 0 only those share. What a caller sees of the rows is decided
 * on every read, never kept.
 */
export class LedgerReads {
  private readonly entries = new Map<
    string,
    { at: number; settled: boolean; rows: Promise<RecordedRequest[]> }
  >();

  constructor(
    private readonly ledger: Pick<RequestLedger, 'listForEntity' | 'onWrite'>,
    private readonly ttlMs: number,
    private readonly maxEntries = 10_000,
    private readonly now: () => number = Date.now,
  ) {
    ledger.onWrite(() => this.entries.clear());
  }

  rowsFor(entityRef: string): Promise<RecordedRequest[]> {
    const now = this.now();
    const hit = this.entries.get(entityRef);
    if (hit && (!hit.settled || now - hit.at < this.ttlMs)) return hit.rows;
    if (this.entries.size >= this.maxEntries) this.entries.clear();
    const entry = {
      at: now,
      settled: false,
      rows: this.ledger.listForEntity(entityRef),
    };
    this.entries.set(entityRef, entry);
    entry.rows.then(
      () => {
        entry.settled = true;
        if (this.ttlMs <= 0 && this.entries.get(entityRef) === entry) {
          this.entries.delete(entityRef);
        }
      },
      () => {
        if (this.entries.get(entityRef) === entry) {
          this.entries.delete(entityRef);
        }
      },
    );
    return entry.rows;
  }
}

export function createVisibleRequests(deps: {
  ledger: RequestLedger;
  userInfo: UserInfoService;
  /** kratix.cache.requestsSeconds, in ms (default 0: concurrent reads share a query, no more). */
  cacheMs?: number;
}) {
  const reads = new LedgerReads(deps.ledger, deps.cacheMs ?? 0);
  const rowsFor = (entityRef: string) => reads.rowsFor(entityRef);
  return async (
    entity: Entity,
    credentials: BackstageCredentials,
  ): Promise<KratixRequestView[]> => {
    // Services (the search collator, the catalog provider) index live Resources only.
    if (!userOf(credentials)) return [];
    const rows = await requestsVisibleTo(
      await rowsFor(stringifyEntityRef(entity)),
      entity,
      credentials,
      deps.userInfo,
    );
    return rows.map(({ entityUid: _uid, ...view }) => view);
  };
}

/** The signed-in user behind the credentials; undefined for a service. */
function userOf(credentials: BackstageCredentials): string | undefined {
  const principal = credentials.principal as {
    type?: string;
    userEntityRef?: string;
  };
  return principal.type === 'user' ? principal.userEntityRef : undefined;
}

/**
 * Of an entity's requests (rows the ledger holds under its ref), those the caller may see: all
 * of them for an owner of the entity, else the caller's own; none for a service. Rows made for an
 * earlier entity of the same name (another uid) are never this entity's. The one rule for the tab,
 * the stream and the waits that follow a request by id.
 */
export async function requestsVisibleTo<R extends RecordedRequest>(
  rows: R[],
  entity: Entity,
  credentials: BackstageCredentials,
  userInfo: UserInfoService,
): Promise<R[]> {
  const user = userOf(credentials);
  if (!user) return [];
  const ours = rows.filter(
    r => !r.entityUid || r.entityUid === entity.metadata.uid,
  );
  const mine = ours.filter(r => r.requestedBy === user);
  if (mine.length === ours.length) return mine;
  const owners = (entity.relations ?? [])
    .filter(r => r.type === RELATION_OWNED_BY)
    .map(r => r.targetRef);
  if (owners.length === 0) return mine;
  const { ownershipEntityRefs } = await userInfo.getUserInfo(credentials);
  return owners.some(o => ownershipEntityRefs.includes(o)) ? ours : mine;
}
