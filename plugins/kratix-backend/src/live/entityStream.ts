/*
 * Live updates of an entity's Resources as server-sent events. The stream is driven by the cluster
 * watches, not by polling the clusters: a change to a linked Resource is pushed at once, and a burst
 * within 100 ms goes out once. A periodic re-read of the in-memory cache also reports clusters going
 * down or coming back.
 *
 * Access is not decided once at connect: every frame is read through the same authorized path as
 * GET /resources (link trust and `kratix.resource.read` per Resource, with decisions no older than
 * kratix.cache.decisionSeconds), so a policy change is seen at the next frame or refresh tick
 * (`refreshMs`, 10 s) after that bound. Every
 * `reauthorizeMs` (kratix.streams.reauthorizeSeconds, default 60 s) the stream also re-loads the
 * entity from the catalog as the caller, so an entity that is hidden from the caller or changes
 * (owner, annotations; detected by its etag) is re-judged. When the caller loses access the stream
 * sends a final `forbidden` event and closes.
 *
 * Backpressure: each frame is a whole snapshot, so only the newest one matters. While the socket has
 * not taken the last frame (res.write returned false), changes only mark the stream stale; on
 * 'drain' the newest state is read and sent, once. So a stream holds at most one unsent frame
 * (`maxFrameBytes`), and the caller's streams together at most `maxBufferedBytesPerUser` (the
 * limiter). A socket that does not drain within `drainTimeoutMs` is closed (destroyed, which frees
 * what it holds). A snapshot bigger than `maxFrameBytes` is never sent: a final `limit` event says so.
 */
import type {
  BackstageCredentials,
  LoggerService,
} from '@backstage/backend-plugin-api';
import {
  stringifyEntityRef,
  type CompoundEntityRef,
  type Entity,
} from '@backstage/catalog-model';
import { NotAllowedError, NotFoundError } from '@backstage/errors';
import {
  getKratixResourceRefs,
  KRATIX_ENTITY_REF_ANNOTATION,
  normalizeEntityRef,
  type KratixResourceObject,
  type KratixStreamForbidden,
  type KratixStreamLimit,
} from '@kratix-backstage/plugin-kratix-common';
import type { KratixClusterService } from '@kratix-backstage/plugin-kratix-node';
import type { Request, Response } from 'express';
import { EntityResources } from '../service/EntityResources';
import { addressKey, snapshotOf, type SnapshotReader } from './sharedSnapshots';
import type { StreamSlot } from './streamLimiter';

export interface EntityStreamOptions {
  debounceMs?: number;
  /** Re-read the cache and re-decide the policy this often. Default 10 s. */
  refreshMs?: number;
  /** Re-load the entity as the caller this often. Default 60 s. */
  reauthorizeMs?: number;
  maxDurationMs?: number;
  /** The largest snapshot sent; a bigger one ends the stream with a `limit` event. Default 1 MiB. */
  maxFrameBytes?: number;
  /** Close the stream when its newest state could not be written for this long. Default 30 s. */
  drainTimeoutMs?: number;
}

/** Why a stream ended (logged with its byte counts). */
export type EntityStreamEnd =
  | 'client-closed'
  | 'client-gone-before-open'
  | 'forbidden'
  | 'frame-too-large'
  | 'not-drained'
  | 'max-duration';

export function streamEntityResources(
  _req: Request,
  res: Response,
  deps: {
    ref: CompoundEntityRef;
    entity: Entity;
    credentials: BackstageCredentials;
    reader: EntityResources;
    clusters: KratixClusterService;
    logger: LoggerService;
    /** The caller's stream slot: released when the stream ends, and their byte budget. */
    slot?: StreamSlot;
    /**
     * Where snapshots come from: SharedSnapshots.read shares one read among a caller's streams on
     * the entity. Without it, each stream reads on its own.
     */
    snapshots?: SnapshotReader;
    onClose?: () => void;
  },
  options: EntityStreamOptions = {},
): void {
  const { ref, credentials, reader, clusters, logger, slot } = deps;
  const readSnapshot: SnapshotReader =
    deps.snapshots ?? ((e, c) => reader.list(e, c).then(snapshotOf));
  let entity = deps.entity;
  // Compared with every change's entity-ref annotation: normalized once, not once per change.
  let entityKey = normalizeEntityRef(entity);
  const debounceMs = options.debounceMs ?? 100;
  const refreshMs = options.refreshMs ?? 10_000;
  const reauthorizeMs = options.reauthorizeMs ?? 60_000;
  const maxDurationMs = options.maxDurationMs ?? 10 * 60_000;
  const maxFrameBytes = options.maxFrameBytes ?? 1024 * 1024;
  const drainTimeoutMs = options.drainTimeoutMs ?? 30_000;
  let refs = getKratixResourceRefs(entity).refs;
  const defaultCluster = clusters.defaultCluster();
  /** The Resources of the last snapshot read: a change to one concerns the stream even after it
   * stops naming the entity (the platform's links are not in `refs`). */
  let listed: ReadonlySet<string> = new Set<string>();

  let closed = false;
  let lastSent = '';
  let timer: NodeJS.Timeout | undefined;
  /** Set once the stream is open; close() may run before (a client gone while authorizing). */
  const timers: {
    phase?: NodeJS.Timeout;
    refresh?: NodeJS.Timeout;
    reauthorize?: NodeJS.Timeout;
    end?: NodeJS.Timeout;
  } = {};
  let unsubscribe = () => {};
  let sending = Promise.resolve();
  /** A newer state exists than the last frame written; it is read and sent when there is room. */
  let stale = false;
  let stalledSince: number | undefined;
  let stallTimer: NodeJS.Timeout | undefined;
  const stats = {
    framesSent: 0,
    framesSkipped: 0,
    peakBufferedBytes: 0,
    peakCallerBufferedBytes: 0,
  };

  // The slot is released on every path, so the close listener comes before anything else, and a
  // client that left while the route was authorizing (its 'close' already fired) is caught here.
  res.on('close', () => close('client-closed'));
  if (res.destroyed || res.writableEnded) {
    close('client-gone-before-open');
    return;
  }
  if (slot) slot.bufferedBytes = () => (closed ? 0 : res.writableLength);

  res.writeHead(200, {
    'Content-Type': 'text/event-stream; charset=utf-8',
    // no-transform keeps compression middleware from buffering the stream.
    'Cache-Control': 'no-cache, no-transform',
    Connection: 'keep-alive',
    'X-Accel-Buffering': 'no',
  });
  res.flushHeaders();

  function stall() {
    stalledSince ??= Date.now();
    stallTimer ??= setTimeout(() => close('not-drained'), drainTimeoutMs);
  }
  function unstall() {
    clearTimeout(stallTimer);
    stallTimer = undefined;
    stalledSince = undefined;
  }

  /**
   * Writes one snapshot frame when the socket has room and the caller's budget allows; otherwise
   * remembers only that the state is newer than what was sent (latest-state: nothing is queued).
   */
  const writeFrame = (
    frame: string,
    bytes = Buffer.byteLength(frame),
  ): boolean => {
    if (res.writableNeedDrain) {
      stale = true;
      stats.framesSkipped += 1;
      stall();
      return false;
    }
    if (slot && !slot.mayBuffer(bytes)) {
      stale = true;
      stats.framesSkipped += 1;
      stall();
      slot.waitForPeers(resume);
      return false;
    }
    stale = false;
    const room = res.write(frame);
    stats.framesSent += 1;
    stats.peakBufferedBytes = Math.max(
      stats.peakBufferedBytes,
      res.writableLength,
    );
    if (slot) {
      stats.peakCallerBufferedBytes = Math.max(
        stats.peakCallerBufferedBytes,
        slot.callerBufferedBytes(),
      );
    }
    if (room) unstall();
    else stall();
    return true;
  };

  /** A small event that ends the stream: written even to a full socket (a few hundred bytes). */
  const finalEvent = (event: string, body: object, reason: EntityStreamEnd) => {
    res.write(`event: ${event}\ndata: ${JSON.stringify(body)}\n\n`);
    close(reason);
  };

  const forbid = (message: string) => {
    const body: KratixStreamForbidden = { message };
    finalEvent('forbidden', body, 'forbidden');
  };

  /** Runs one step in order with the others; access loss ends the stream. */
  const enqueue = (step: () => Promise<void>) => {
    sending = sending.then(async () => {
      if (closed) return;
      try {
        await step();
      } catch (error) {
        if (
          error instanceof NotAllowedError ||
          error instanceof NotFoundError
        ) {
          forbid(error.message);
          return;
        }
        logger.warn(`Kratix live update failed: ${error}`);
        writeFrame(
          `event: failure\ndata: ${JSON.stringify({
            message: 'Could not read Resources',
          })}\n\n`,
        );
      }
    });
  };

  const send = (force: boolean) =>
    enqueue(async () => {
      // Nothing is read while the socket is full: the newest state is read when it drains.
      if (res.writableNeedDrain) {
        stale = true;
        stats.framesSkipped += 1;
        return;
      }
      const snapshot = await readSnapshot(entity, credentials);
      if (closed) return;
      const { signature, frame, bytes } = snapshot;
      listed = snapshot.listed;
      if (!force && signature === lastSent) {
        // Nothing newer than what the client has: a keep-alive only.
        stale = false;
        unstall();
        res.write(': unchanged\n\n');
        return;
      }
      if (bytes > maxFrameBytes) {
        const body: KratixStreamLimit = {
          limit: 'kratix.streams.maxFrameBytes',
          bytes,
          maxBytes: maxFrameBytes,
          resources: refs.length,
          message: `Live updates are off for this entity: its ${
            refs.length
          } linked Resources make a snapshot of ${formatBytes(
            bytes,
          )}, more than the ${formatBytes(
            maxFrameBytes,
          )} a live update may carry (kratix.streams.maxFrameBytes). Reload the page for their current state; to follow them live, split the links over several entities or ask the platform team to raise the limit.`,
        };
        finalEvent('limit', body, 'frame-too-large');
        return;
      }
      if (writeFrame(frame, bytes)) lastSent = signature;
    });

  /** The socket (or the caller's budget) has room again: send the newest state if it changed. */
  function resume() {
    if (!closed && stale) send(false);
  }
  res.on('drain', () => {
    unstall();
    slot?.drained();
    resume();
  });

  /** Loads the entity afresh as the caller; a changed entity is re-judged at once. */
  const reload = (alwaysSend = false) =>
    enqueue(async () => {
      const fresh = await reader.visibleEntity(ref, credentials);
      const changed = fresh.metadata.etag !== entity.metadata.etag;
      entity = fresh;
      entityKey = normalizeEntityRef(entity);
      refs = getKratixResourceRefs(entity).refs;
      if (changed || alwaysSend) send(false);
    });

  unsubscribe = clusters.onResourceChange(change => {
    const namespace = change.object.metadata.namespace ?? 'default';
    const concerned =
      EntityResources.concerns(refs, defaultCluster, {
        cluster: change.cluster,
        promise: change.kind.promise,
        kind: change.kind.kind,
        namespace,
        name: change.object.metadata.name,
      }) ||
      // A Resource the platform may link to the entity (created for it), or one it listed.
      namesEntity(change.object, entityKey) ||
      listed.has(
        addressKey(
          change.cluster,
          change.kind.promise,
          namespace,
          change.object.metadata.name,
        ),
      );
    if (concerned) pushChange();
  });
  // The first change goes out at once; more within `debounceMs` are sent once, when it ends.
  let changedSince = false;
  function pushChange() {
    if (timer) {
      changedSince = true;
      return;
    }
    send(false);
    timer = setTimeout(() => {
      timer = undefined;
      if (changedSince) {
        changedSince = false;
        pushChange();
      }
    }, debounceMs);
  }
  // Each tick re-reads the entity (through the bounded entity cache) and the cache, and re-decides:
  // an entity change is judged within the cache bound plus one tick.
  // At a phase of the interval that is the same for every stream of the caller on the entity: their
  // ticks coincide and share one read (SharedSnapshots), and different callers' ticks spread.
  timers.phase = setTimeout(() => {
    reload(true);
    timers.refresh = setInterval(() => reload(true), refreshMs);
  }, phaseDelay(`${slot?.caller ?? ''}\n${stringifyEntityRef(ref)}`, refreshMs));
  timers.reauthorize = setInterval(() => reload(), reauthorizeMs);
  timers.end = setTimeout(() => close('max-duration'), maxDurationMs);

  function close(reason: EntityStreamEnd) {
    if (closed) return;
    closed = true;
    const stalledMs =
      stalledSince === undefined ? 0 : Date.now() - stalledSince;
    try {
      unsubscribe();
      clearTimeout(timer);
      clearTimeout(timers.phase);
      clearInterval(timers.refresh);
      clearInterval(timers.reauthorize);
      clearTimeout(timers.end);
      unstall();
      // A socket that is not taking data would hold an ended response until it does: drop it.
      if (!res.destroyed) {
        if (res.writableNeedDrain || reason === 'not-drained') res.destroy();
        else res.end();
      }
    } finally {
      slot?.release();
      deps.onClose?.();
    }
    const meta = {
      entity: stringifyEntityRef(ref),
      caller: slot?.caller ?? 'unknown',
      reason,
      stalledMs,
      ...stats,
    };
    const done =
      reason === 'not-drained' || reason === 'frame-too-large'
        ? logger.info.bind(logger)
        : logger.debug.bind(logger);
    done(`Kratix event stream closed: ${reason}`, meta);
  }
  send(true);
}

/**
 * The last entity-ref annotation normalized, and what it gave: every stream sees the same change in
 * turn, so 500 streams normalize its annotation once instead of 500 times.
 */
let lastNamed: { named: string; normalized: string | undefined } | undefined;

/** Whether a Resource's entity-ref annotation names the entity (EntityResources.names, memoized). */
function namesEntity(object: KratixResourceObject, entityKey: string): boolean {
  const named = object.metadata.annotations?.[KRATIX_ENTITY_REF_ANNOTATION];
  if (named === undefined) return false;
  if (lastNamed?.named !== named) {
    lastNamed = { named, normalized: normalizeEntityRef(named) };
  }
  return lastNamed.normalized === entityKey;
}

/**
 * How long until the next moment at `key`'s phase of a `periodMs` cycle on the wall clock: a
 * stable hash of the key picks the phase.
 */
export function phaseDelay(key: string, periodMs: number, now = Date.now()) {
  let hash = 0;
  for (let i = 0; i < key.length; i++) {
    hash = (Math.imul(hash, 31) + key.charCodeAt(i)) | 0;
  }
  const phase = (hash >>> 0) % periodMs;
  const delay = (phase - (now % periodMs) + periodMs) % periodMs;
  // A whole period when the phase is now: the stream has just sent its first snapshot.
  return delay === 0 ? periodMs : delay;
}

function formatBytes(bytes: number): string {
  return bytes >= 1024 * 1024
    ? `${(bytes / 1024 / 1024).toFixed(1)} MiB`
    : `${Math.ceil(bytes / 1024)} KiB`;
}
