/*
 * Live updates of an entity's Resources as server-sent events. The stream is driven by the cluster
 * watches (a change to a linked Resource is pushed within a debounce of ~100 ms), not by polling the
 * clusters; a periodic re-read of the in-memory cache also reports clusters going down or coming
 * back. Streams end after a while so clients reconnect and are authorized afresh.
 */
import type { LoggerService } from '@backstage/backend-plugin-api';
import type { Entity } from '@backstage/catalog-model';
import { getKratixResourceRefs } from '@kratix-backstage/plugin-kratix-common';
import type { KratixClusterService } from '@kratix-backstage/plugin-kratix-node';
import type { Request, Response } from 'express';
import { EntityResources } from '../service/EntityResources';

export interface EntityStreamOptions {
  debounceMs?: number;
  refreshMs?: number;
  maxDurationMs?: number;
}

export function streamEntityResources(
  req: Request,
  res: Response,
  deps: {
    entity: Entity;
    reader: EntityResources;
    clusters: KratixClusterService;
    logger: LoggerService;
  },
  options: EntityStreamOptions = {},
): void {
  const { entity, reader, clusters, logger } = deps;
  const debounceMs = options.debounceMs ?? 100;
  const refreshMs = options.refreshMs ?? 10_000;
  const maxDurationMs = options.maxDurationMs ?? 10 * 60_000;
  const { refs } = getKratixResourceRefs(entity);
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

  const send = (force: boolean) => {
    sending = sending.then(async () => {
      if (closed) return;
      try {
        const data = await reader.list(entity);
        const { observedAt: _observedAt, ...comparable } = data;
        const signature = JSON.stringify(comparable);
        if (!force && signature === lastSent) {
          res.write(': unchanged\n\n');
          return;
        }
        lastSent = signature;
        res.write(`event: resources\ndata: ${JSON.stringify(data)}\n\n`);
      } catch (error) {
        logger.warn(`Kratix live update failed: ${error}`);
        res.write(
          `event: failure\ndata: ${JSON.stringify({
            message: 'Could not read Resources',
          })}\n\n`,
        );
      }
    });
  };

  const unsubscribe = clusters.onResourceChange(change => {
    const concerned = EntityResources.concerns(refs, defaultCluster, {
      cluster: change.cluster,
      promise: change.kind.promise,
      kind: change.kind.kind,
      namespace: change.object.metadata.namespace ?? 'default',
      name: change.object.metadata.name,
    });
    if (!concerned || timer) return;
    timer = setTimeout(() => {
      timer = undefined;
      send(false);
    }, debounceMs);
  });
  const refresh = setInterval(() => send(false), refreshMs);
  const end = setTimeout(() => close(), maxDurationMs);

  function close() {
    if (closed) return;
    closed = true;
    unsubscribe();
    clearTimeout(timer);
    clearInterval(refresh);
    clearTimeout(end);
    res.end();
  }
  req.on('close', close);
  send(true);
}
