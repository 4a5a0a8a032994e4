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
 */
import type {
  BackstageCredentials,
  LoggerService,
} from '@backstage/backend-plugin-api';
import type { CompoundEntityRef, Entity } from '@backstage/catalog-model';
import { NotAllowedError, NotFoundError } from '@backstage/errors';
import {
  getKratixResourceRefs,
  type KratixStreamForbidden,
} from '@kratix-backstage/plugin-kratix-common';
import type { KratixClusterService } from '@kratix-backstage/plugin-kratix-node';
import type { Request, Response } from 'express';
import { EntityResources } from '../service/EntityResources';

export interface EntityStreamOptions {
  debounceMs?: number;
  /** Re-read the cache and re-decide the policy this often. Default 10 s. */
  refreshMs?: number;
  /** Re-load the entity as the caller this often. Default 60 s. */
  reauthorizeMs?: number;
  maxDurationMs?: number;
}

export function streamEntityResources(
  req: Request,
  res: Response,
  deps: {
    ref: CompoundEntityRef;
    entity: Entity;
    credentials: BackstageCredentials;
    reader: EntityResources;
    clusters: KratixClusterService;
    logger: LoggerService;
    onClose?: () => void;
  },
  options: EntityStreamOptions = {},
): void {
  const { ref, credentials, reader, clusters, logger } = deps;
  let entity = deps.entity;
  const debounceMs = options.debounceMs ?? 100;
  const refreshMs = options.refreshMs ?? 10_000;
  const reauthorizeMs = options.reauthorizeMs ?? 60_000;
  const maxDurationMs = options.maxDurationMs ?? 10 * 60_000;
  let refs = getKratixResourceRefs(entity).refs;
  const defaultCluster = clusters.defaultCluster();

  res.writeHead(200, {
    'Content-Type': 'text/event-stream; charset=utf-8',
    // no-transform keeps compression middleware from buffering the stream.
    'Cache-Control': 'no-cache, no-transform',
    Connection: 'keep-alive',
    'X-Accel-Buffering': 'no',
  });
  res.flushHeaders();

  let closed = false;
  let lastSent = '';
  let timer: NodeJS.Timeout | undefined;
  let sending = Promise.resolve();

  const forbid = (message: string) => {
    const body: KratixStreamForbidden = { message };
    res.write(`event: forbidden\ndata: ${JSON.stringify(body)}\n\n`);
    close();
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
        res.write(
          `event: failure\ndata: ${JSON.stringify({
            message: 'Could not read Resources',
          })}\n\n`,
        );
      }
    });
  };

  const send = (force: boolean) =>
    enqueue(async () => {
      const data = await reader.list(entity, credentials);
      const { observedAt: _observedAt, ...comparable } = data;
      const signature = JSON.stringify(comparable);
      if (!force && signature === lastSent) {
        res.write(': unchanged\n\n');
        return;
      }
      lastSent = signature;
      res.write(`event: resources\ndata: ${JSON.stringify(data)}\n\n`);
    });

  /** Loads the entity afresh as the caller; a changed entity is re-judged at once. */
  const reload = (alwaysSend = false) =>
    enqueue(async () => {
      const fresh = await reader.visibleEntity(ref, credentials);
      const changed = fresh.metadata.etag !== entity.metadata.etag;
      entity = fresh;
      refs = getKratixResourceRefs(entity).refs;
      if (changed || alwaysSend) send(false);
    });

  const unsubscribe = clusters.onResourceChange(change => {
    const concerned = EntityResources.concerns(refs, defaultCluster, {
      cluster: change.cluster,
      promise: change.kind.promise,
      kind: change.kind.kind,
      namespace: change.object.metadata.namespace ?? 'default',
      name: change.object.metadata.name,
    });
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
  const refresh = setInterval(() => reload(true), refreshMs);
  const reauthorize = setInterval(() => reload(), reauthorizeMs);
  const end = setTimeout(() => close(), maxDurationMs);

  function close() {
    if (closed) return;
    closed = true;
    unsubscribe();
    clearTimeout(timer);
    clearInterval(refresh);
    clearInterval(reauthorize);
    clearTimeout(end);
    res.end();
    deps.onClose?.();
  }
  req.on('close', close);
  send(true);
}
