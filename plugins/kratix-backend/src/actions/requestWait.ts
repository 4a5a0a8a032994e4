/*
 * wait-for-resource's `requestId`: following a request delivered through Git (a commit, or a pull
 * request) from create-resource until the platform applies it. It behaves as the scaffolder's
 * kratix:resource:wait with a `requestId` (scaffolder-backend-module-kratix, requestWait.ts): the
 * Resource carrying the request's `kratix.backstage.io/request-id` on the cluster watch is the
 * platform applying it (the signal the request ledger marks `applied` on), and both phases share
 * the one timeout the wait service admitted. The plugin also has the ledger, so a request whose
 * pull request was closed unmerged, or that a later one superseded, ends the wait at once, and one
 * still open when the time runs out is answered with where it stands rather than failed.
 */
import type {
  BackstageCredentials,
  UserInfoService,
} from '@backstage/backend-plugin-api';
import type { Entity } from '@backstage/catalog-model';
import { InputError } from '@backstage/errors';
import { normalizeEntityRef } from '@kratix-backstage/plugin-kratix-common';
import {
  watchRequestApplied,
  type KratixClusterService,
} from '@kratix-backstage/plugin-kratix-node';
import { requestsVisibleTo } from '../delivery/visibleRequests';
import {
  isOpenRequest as isOpen,
  requestMessage,
  type RecordedRequest,
  type RequestLedger,
  type RequestTarget,
} from '../requests';

/** What following a request needs: the ledger, and who owns what (the owners may follow it too). */
export interface RequestFollowing {
  ledger: Pick<RequestLedger, 'get' | 'onWrite'>;
  userInfo: UserInfoService;
  /**
   * How often the request is read again while it is open (default 5 s): another replica's write
   * (the scheduled check that finds a pull request closed runs on one replica) does not reach this
   * replica's ledger listeners.
   */
  pollMs?: number;
}

const DEFAULT_POLL_MS = 5000;

/** Request ids are UUIDs (the delivery mints them with randomUUID). */
const REQUEST_ID =
  /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The id, checked before anything is read; InputError naming `requestId` when it is not one. */
export function checkRequestId(id: string): string {
  if (!REQUEST_ID.test(id.trim())) {
    throw new InputError(
      `requestId: ${JSON.stringify(
        id,
      )} is not a request id (the \`request.id\` create-resource answers, a UUID)`,
    );
  }
  return id.trim().toLowerCase();
}

export const describeTarget = (t: RequestTarget) =>
  `${t.cluster}:${t.promise}/${t.namespace}/${t.name}`;

/**
 * The request, when the caller may follow it from `entity`: the Requests tab's rule
 * (delivery/visibleRequests.ts): a user who asked for it, or an owner of the entity it was made for
 * (that entity, not an earlier one of the same name). Undefined otherwise, and for an unknown id:
 * the two must not be told apart.
 */
export async function followableRequest(
  following: RequestFollowing,
  id: string,
  entity: Entity,
  credentials: BackstageCredentials,
): Promise<RecordedRequest | undefined> {
  const request = await following.ledger.get(id);
  if (
    !request ||
    !request.entityRef ||
    normalizeEntityRef(request.entityRef) !== normalizeEntityRef(entity)
  ) {
    return undefined;
  }
  const [visible] = await requestsVisibleTo(
    [request],
    entity,
    credentials,
    following.userInfo,
  );
  return visible;
}

/** The request as applied: the Resource carrying it is on the cluster, whatever the ledger says yet. */
function asApplied(request: RecordedRequest): RecordedRequest {
  if (request.state === 'applied') return request;
  const applied = { ...request, state: 'applied' as const };
  return { ...applied, message: requestMessage(applied, new Date()) };
}

/**
 * Resolves with the request once the platform has applied it (its Resource appears carrying its
 * id, checked in the cache now and then on every change), once the ledger says it was closed or
 * superseded, or, when `timeoutMs` runs out first, as the ledger holds it then (pending or stale).
 * No polling of the cluster: the ledger is read again on this replica's ledger writes, on a change
 * of the Resource, and every `pollMs`.
 */
export function untilRequestSettled(options: {
  clusters: KratixClusterService;
  following: RequestFollowing;
  request: RecordedRequest;
  timeoutMs: number;
}): Promise<RecordedRequest> {
  const { clusters, following, timeoutMs } = options;
  const { ledger } = following;
  const target: RequestTarget = options.request;

  return new Promise(resolve => {
    let last = options.request;
    let settled = false;
    const cleanups: Array<() => void> = [];
    const finish = (outcome: () => void) => {
      if (settled) return;
      settled = true;
      cleanups.forEach(cleanup => cleanup());
      outcome();
    };
    if (!isOpen(last)) {
      finish(() => resolve(last));
      return;
    }

    // One read of the row at a time; a trigger during a read asks for one more after it.
    let reading = false;
    let again = false;
    const reread = () => {
      if (settled) return;
      if (reading) {
        again = true;
        return;
      }
      reading = true;
      ledger.get(last.id).then(
        row => {
          reading = false;
          if (row) last = row;
          if (row && !isOpen(row)) finish(() => resolve(row));
          else if (again) {
            again = false;
            reread();
          }
        },
        () => {
          // A failed read is tried again on the next trigger; the timeout bounds the wait.
          reading = false;
        },
      );
    };

    cleanups.push(ledger.onWrite(reread));
    // The cache now, then every change (an error reading the cache is ignored: not there yet is
    // what we wait for, and the ledger says the rest).
    cleanups.push(
      watchRequestApplied(clusters, target, options.request.id, {
        applied: () => finish(() => resolve(asApplied(last))),
        // Another request applied to the Resource may have superseded this one.
        changed: () => reread(),
      }),
    );
    const poll = setInterval(reread, following.pollMs ?? DEFAULT_POLL_MS);
    cleanups.push(() => clearInterval(poll));
    const timer = setTimeout(() => {
      // Answered as the ledger holds it now (the last read if it cannot be read).
      ledger.get(last.id).then(
        row => finish(() => resolve(row ?? last)),
        () => finish(() => resolve(last)),
      );
    }, timeoutMs);
    cleanups.push(() => clearTimeout(timer));
    reread();
  });
}
