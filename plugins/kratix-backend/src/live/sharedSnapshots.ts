/*
 * One read per caller and entity for all of that caller's open streams. A change to a Resource
 * reaches every stream on its entity at once: with one read each, 100 users with 5 tabs open made
 * 500 authorized reads (each a request-ledger query) and 1,000 JSON serializations for one
 * change. Streams of the same caller (the key the policy's decisions are cached under) on the same
 * entity version now share the read in flight and its serialized frame: 100 reads for 500 streams.
 *
 * Only a read in flight is shared, and only within one generation of cluster changes: a stream
 * asking after a change never gets a read that started before it (the generation moves first:
 * this listener is subscribed before any stream's). A settled read is not kept, so the periodic
 * refresh (policy, ledger, cluster status) still reads afresh.
 */
import type { BackstageCredentials } from '@backstage/backend-plugin-api';
import { stringifyEntityRef, type Entity } from '@backstage/catalog-model';
import type { EntityResourcesResponse } from '@kratix-backstage/plugin-kratix-common';
import type { KratixClusterService } from '@kratix-backstage/plugin-kratix-node';
import { decisionKey } from '../cache/CallerDecisions';
import type { EntityResources } from '../service/EntityResources';

/** A snapshot as a stream sends it: read once, serialized once. */
export interface StreamSnapshot {
  data: EntityResourcesResponse;
  /** What the stream compares to the last frame sent (the data without `observedAt`). */
  signature: string;
  /** The whole `resources` event. */
  frame: string;
  /** Its size in bytes. */
  bytes: number;
  /** The address (`cluster/promise/namespace/name`) of each Resource listed. */
  listed: ReadonlySet<string>;
}

/** A Resource's address, as the streams compare changes with what they listed. */
export function addressKey(
  cluster: string,
  promise: string,
  namespace: string,
  name: string,
): string {
  return [cluster, promise, namespace, name].join('/');
}

/** Reads snapshots for streams, one per caller, entity version and generation of changes. */
export type SnapshotReader = (
  entity: Entity,
  credentials: BackstageCredentials,
) => Promise<StreamSnapshot>;

/** A snapshot from one read: serialized here, once for every stream that shares it. */
export function snapshotOf(data: EntityResourcesResponse): StreamSnapshot {
  const { observedAt: _observedAt, ...comparable } = data;
  const frame = `event: resources\ndata: ${JSON.stringify(data)}\n\n`;
  return {
    data,
    signature: JSON.stringify(comparable),
    frame,
    bytes: Buffer.byteLength(frame),
    listed: new Set(
      data.items.map(i =>
        addressKey(i.cluster, i.promise, i.namespace, i.name),
      ),
    ),
  };
}

export class SharedSnapshots {
  private generation = 0;
  private readonly inFlight = new Map<string, Promise<StreamSnapshot>>();
  private readonly unsubscribe: () => void;

  constructor(
    private readonly reader: Pick<EntityResources, 'list'>,
    clusters: Pick<KratixClusterService, 'onResourceChange'>,
  ) {
    this.unsubscribe = clusters.onResourceChange(() => {
      this.generation += 1;
    });
  }

  /** Reads in flight (for tests). */
  get pending(): number {
    return this.inFlight.size;
  }

  readonly read: SnapshotReader = (entity, credentials) => {
    const caller = decisionKey(credentials);
    // An unknown principal shares nothing.
    if (!caller) {
      return this.reader.list(entity, credentials).then(snapshotOf);
    }
    const key = [
      this.generation,
      caller,
      stringifyEntityRef(entity),
      entity.metadata.uid ?? '',
      entity.metadata.etag ?? '',
    ].join('\n');
    let read = this.inFlight.get(key);
    if (!read) {
      read = this.reader.list(entity, credentials).then(snapshotOf);
      this.inFlight.set(key, read);
      const done = () => {
        if (this.inFlight.get(key) === read) this.inFlight.delete(key);
      };
      read.then(done, done);
    }
    return read;
  };

  stop(): void {
    this.unsubscribe();
  }
}
