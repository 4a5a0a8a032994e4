/*
 * The stuck reminder (kratix.notifications.stuckAfterMinutes, off by default): a scheduled pass over
 * every Resource in the watch-fed caches; one not done that long after its workflow started is
 * notified once per run (the claim's key is the run's start).
 */
import type { LoggerService } from '@backstage/backend-plugin-api';
import type { KratixClusterService } from '@kratix-backstage/plugin-kratix-node';
import { eventWanted, type NotificationSettings } from './notificationsConfig';
import type { ResourceNotifier } from './ResourceNotifier';
import { stuckEvent } from './resourceEvents';
import { forEachHeldResource } from '../service/heldResources';

export async function remindStuckResources(options: {
  clusters: KratixClusterService;
  notifier: ResourceNotifier;
  settings: NotificationSettings;
  stuckAfterMs: number;
  logger: LoggerService;
  now?: Date;
}): Promise<number> {
  const { clusters, notifier, settings, stuckAfterMs, logger } = options;
  const now = options.now ?? new Date();
  let reminded = 0;
  await forEachHeldResource(
    clusters,
    async resolved => {
      if (!eventWanted(settings, resolved.kind.promise, 'stuck')) return;
      const event = stuckEvent(resolved.object, now, stuckAfterMs);
      if (!event) return;
      await notifier.notify(resolved, event);
      reminded += 1;
    },
    (cluster, error) =>
      logger.warn(
        `Kratix stuck reminders skipped cluster ${cluster}: ${error}`,
      ),
  );
  return reminded;
}
