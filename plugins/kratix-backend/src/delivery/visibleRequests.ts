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
import type { RequestLedger } from '../requests';

export function createVisibleRequests(deps: {
  ledger: RequestLedger;
  userInfo: UserInfoService;
}) {
  // One ledger query for the reads of an entity that run at the same time: a change reaches every
  // open stream on the entity at once (100 users' streams made 100 identical queries). Only a
  // query still in flight is shared, never a finished one's answer: a read gets the ledger as of
  // a query that overlaps it, as if it had asked itself.
  const inFlight = new Map<string, ReturnType<RequestLedger['listForEntity']>>();
  const rowsFor = (entityRef: string) => {
    let rows = inFlight.get(entityRef);
    if (!rows) {
      rows = deps.ledger.listForEntity(entityRef);
      inFlight.set(entityRef, rows);
      const done = () => inFlight.delete(entityRef);
      rows.then(done, done);
    }
    return rows;
  };
  return async (
    entity: Entity,
    credentials: BackstageCredentials,
  ): Promise<KratixRequestView[]> => {
    const principal = credentials.principal as {
      type?: string;
      userEntityRef?: string;
    };
    // Services (the search collator, the catalog provider) index live Resources only.
    if (principal.type !== 'user' || !principal.userEntityRef) return [];
    const rows = (
      await rowsFor(stringifyEntityRef(entity))
    ).filter(r => !r.entityUid || r.entityUid === entity.metadata.uid);
    if (rows.length === 0) return [];
    const mine = rows.filter(r => r.requestedBy === principal.userEntityRef);
    const owners = (entity.relations ?? [])
      .filter(r => r.type === RELATION_OWNED_BY)
      .map(r => r.targetRef);
    let owner = false;
    if (mine.length < rows.length && owners.length > 0) {
      const { ownershipEntityRefs } = await deps.userInfo.getUserInfo(
        credentials,
      );
      owner = owners.some(o => ownershipEntityRefs.includes(o));
    }
    return (owner ? rows : mine).map(({ entityUid: _uid, ...view }) => view);
  };
}
