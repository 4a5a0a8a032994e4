/*
 * Wires the notifier into the plugin: reads kratix.notifications, decides at startup whether to send
 * (the notifications backend installed in this backend, unless `enabled` says otherwise), and
 * schedules the stuck reminder when it is configured.
 */
import type {
  AuthService,
  DatabaseService,
  LifecycleService,
  LoggerService,
  RootConfigService,
  RootInstanceMetadataService,
  SchedulerService,
} from '@backstage/backend-plugin-api';
import type { NotificationService } from '@backstage/plugin-notifications-node';
import type { CatalogService } from '@backstage/plugin-catalog-node';
import type {
  KratixCallerService,
  KratixClusterService,
} from '@kratix-backstage/plugin-kratix-node';
import { createClusterRecipients } from './clusterRecipients';
import type { ResourceAudienceOf } from '../service/resourceOwners';
import { NotificationClaims } from './NotificationClaims';
import { readNotificationSettings } from './notificationsConfig';
import { ResourceNotifier } from './ResourceNotifier';
import { remindStuckResources } from './stuckReminders';

export async function startNotifications(deps: {
  config: RootConfigService;
  logger: LoggerService;
  database: DatabaseService;
  lifecycle: LifecycleService;
  scheduler: SchedulerService;
  instanceMetadata: RootInstanceMetadataService;
  notifications: NotificationService;
  clusters: KratixClusterService;
  audienceOf: ResourceAudienceOf;
  catalog: CatalogService;
  auth: AuthService;
  callers: KratixCallerService;
}): Promise<{ notifier: ResourceNotifier; claims: NotificationClaims }> {
  const { logger } = deps;
  const settings = readNotificationSettings(deps.config);
  const claims = await NotificationClaims.create(deps.database);
  let decide: (enabled: boolean) => void = () => {};
  const ready = new Promise<boolean>(resolve => {
    decide = resolve;
  });
  const notifier = new ResourceNotifier(
    {
      clusters: deps.clusters,
      claims,
      notifications: deps.notifications,
      audienceOf: deps.audienceOf,
      settings,
      logger,
      clusterRecipients: createClusterRecipients({
        catalog: deps.catalog,
        auth: deps.auth,
        clusters: deps.clusters,
        callerForUserRef: ref => deps.callers.forUserRef(ref),
      }),
    },
    ready,
  );
  // Listening starts now, so no change is missed while the backend starts; sending waits for it.
  notifier.start();
  deps.lifecycle.addShutdownHook(() => notifier.stop());
  deps.lifecycle.addStartupHook(async () => {
    // The installed plugins are registered before any starts; sending waits for this answer.
    const installed = (await deps.instanceMetadata.getInstalledPlugins()).some(
      p => p.pluginId === 'notifications',
    );
    const enabled = settings.enabled ?? installed;
    if (settings.enabled === undefined && !installed) {
      logger.info(
        'Kratix notifications are off: the notifications backend (@backstage/plugin-notifications-backend) is not installed in this backend; set kratix.notifications.enabled: true if it runs in another',
      );
    } else if (!enabled) {
      logger.info(
        'Kratix notifications are off (kratix.notifications.enabled)',
      );
    }
    decide(enabled);
    if (enabled) await notifier.catchUp();
  });

  if (settings.stuckAfterMs !== undefined) {
    const stuckAfterMs = settings.stuckAfterMs;
    // Checked at least twice per threshold, at most once a second, and no less than once a minute.
    const checkMs = Math.min(60_000, Math.max(1000, stuckAfterMs / 2));
    await deps.scheduler.scheduleTask({
      id: 'kratix-notifications-stuck',
      frequency: { milliseconds: checkMs },
      timeout: { minutes: 5 },
      initialDelay: { milliseconds: checkMs },
      fn: async () => {
        await remindStuckResources({
          clusters: deps.clusters,
          notifier,
          settings,
          stuckAfterMs,
          logger,
        });
      },
    });
  }
  return { notifier, claims };
}
