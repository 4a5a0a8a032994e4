/*
 * The Kratix backend plugin (routes under /api/kratix): wires the shared cluster service, the
 * catalog and permission services, the Resource journal and the router.
 */
import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import { actionsRegistryServiceRef } from '@backstage/backend-plugin-api/alpha';
import { notificationService } from '@backstage/plugin-notifications-node';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import {
  kratixPermissions,
  kratixResourceLogsReadPermission,
  kratixResourceReadPermission,
} from '@kratix-backstage/plugin-kratix-common';
import {
  kratixCallerServiceRef,
  kratixClusterServiceRef,
  GitRequestWriter,
  ResourceCreation,
  kratixResourcePermissionResourceRef,
  kratixResourcePermissionRules,
  kratixWaitServiceRef,
} from '@kratix-backstage/plugin-kratix-node';
import { CallerDecisions } from './cache/CallerDecisions';
import { EntityCache } from './cache/EntityCache';
import { VerifiedTokens } from './cache/VerifiedTokens';
import { registerKratixActions } from './actions/registerKratixActions';
import { ResourceJournal } from './journal/ResourceJournal';
import { TransitionRecorder } from './journal/TransitionRecorder';
import { readStreamSettings } from './live/streamConfig';
import { createRouter, routePrefixes } from './router';
import { EntityResources } from './service/EntityResources';
import { LinkTrust } from './service/linkTrust';
import { ReadablePromises } from './service/ReadablePromises';
import { createPermissionResourceLoader } from './service/permissionResources';
import { ResourceManagement } from './service/ResourceManagement';
import {
  createResourceAudience,
  createResourceOwners,
} from './service/resourceOwners';
import { startNotifications } from './notifications/startNotifications';
import { StandaloneResourceReader } from './service/StandaloneResourceReader';
import { ResourceTimeline } from './service/ResourceTimeline';
import { ClusterReadAccess } from './service/clusterReadAccess';
import { limitDryRuns } from './service/dryRunLimit';
import { readRateLimit, UserRateLimiter } from './service/rateLimit';
import { readJournalSettings } from './journal/journalConfig';
import { KeptLogs } from './journal/KeptLogs';
import { FailedLogKeeper } from './journal/FailedLogKeeper';
import { readLogSettings } from './pipelineLogs/logsConfig';
import { PipelineLogs } from './service/PipelineLogs';
import { GitRequestDelivery } from './delivery/GitRequestDelivery';
import { checkDeliveryRepositories } from './delivery/checkRepositories';
import { createVisibleRequests } from './delivery/visibleRequests';
import { RequestLedger, RequestTracker } from './requests';

/**
 * The Kratix backend plugin: routes under `/api/kratix`.
 *
 * @public
 */
export const kratixPlugin = createBackendPlugin({
  pluginId: 'kratix',
  register(env) {
    env.registerInit({
      deps: {
        config: coreServices.rootConfig,
        logger: coreServices.logger,
        httpRouter: coreServices.httpRouter,
        httpAuth: coreServices.httpAuth,
        auth: coreServices.auth,
        permissions: coreServices.permissions,
        permissionsRegistry: coreServices.permissionsRegistry,
        auditor: coreServices.auditor,
        database: coreServices.database,
        scheduler: coreServices.scheduler,
        lifecycle: coreServices.lifecycle,
        userInfo: coreServices.userInfo,
        instanceMetadata: coreServices.rootInstanceMetadata,
        notifications: notificationService,
        catalog: catalogServiceRef,
        clusters: kratixClusterServiceRef,
        waits: kratixWaitServiceRef,
        // Who the platform sees where a cluster acts as each user (issue 26).
        callers: kratixCallerServiceRef,
        actionsRegistry: actionsRegistryServiceRef,
      },
      async init(deps) {
        const { config, logger, clusters } = deps;
        const trust = LinkTrust.fromConfig(config);
        if (trust.mode === 'catalog') {
          logger.warn(
            'kratix.linkTrust is "catalog": every link an entity claims is honoured; anyone who can write a catalog file can read any Resource',
          );
        }
        const ownersOf = createResourceOwners({
          catalog: deps.catalog,
          auth: deps.auth,
          trust,
        });
        // Both are decided on the Resource with the same rules and owners.
        const resourcePermissions = [
          kratixResourceReadPermission,
          kratixResourceLogsReadPermission,
        ];
        deps.permissionsRegistry.addResourceType({
          resourceRef: kratixResourcePermissionResourceRef,
          permissions: resourcePermissions,
          rules: Object.values(kratixResourcePermissionRules),
          getResources: createPermissionResourceLoader({ clusters, ownersOf }),
        });
        deps.permissionsRegistry.addPermissions(
          kratixPermissions.filter(
            p => !resourcePermissions.some(r => r.name === p.name),
          ),
        );

        const journalSettings = readJournalSettings(config);
        const journal = await ResourceJournal.create(deps.database, {
          maxEntriesPerResource: journalSettings.maxEntriesPerResource,
        });
        const recorder = new TransitionRecorder(clusters, journal, logger);
        recorder.start();
        deps.lifecycle.addShutdownHook(() => recorder.stop());
        // The last lines of failed pipeline containers, kept so a failure's reason outlives its Pod.
        const kept = await KeptLogs.create(deps.database);
        const keeper = new FailedLogKeeper(
          clusters,
          kept,
          logger,
          journalSettings.failedLogLines,
        );
        keeper.start();
        deps.lifecycle.addShutdownHook(() => keeper.stop());

        // Backstage notifications to the people who asked, when their Resources change.
        const resourceNotifications = await startNotifications({
          ...deps,
          audienceOf: createResourceAudience({
            catalog: deps.catalog,
            auth: deps.auth,
            trust,
          }),
        });

        // Requests delivered through Git (issue 27): the ledger, the delivery, and the tracker that
        // follows each request until the platform has it. Repository credentials are checked now.
        const requestLedger = await RequestLedger.create({
          database: deps.database,
        });
        const writer = GitRequestWriter.fromConfig(config, { logger });
        checkDeliveryRepositories(clusters, writer);
        const gitDelivery = new GitRequestDelivery({
          writer,
          ledger: requestLedger,
          catalog: deps.catalog,
        });
        const tracker = await RequestTracker.start({
          clusters,
          ledger: requestLedger,
          writer,
          scheduler: deps.scheduler,
          logger,
          config,
        });
        deps.lifecycle.addShutdownHook(() => tracker.stop());

        const { retentionDays } = journalSettings;
        await deps.scheduler.scheduleTask({
          // The scheduler stores task ids: this one keeps its published name.
          id: 'kratix-history-retention',
          frequency: { hours: 1 },
          timeout: { minutes: 5 },
          initialDelay: { seconds: 30 },
          fn: async () => {
            const cutoff = new Date(Date.now() - retentionDays * 24 * 3600_000);
            const removed =
              (await journal.prune(cutoff)) +
              (await kept.prune(cutoff)) +
              (await resourceNotifications.claims.prune(cutoff)) +
              (await requestLedger.prune(cutoff));
            if (removed > 0)
              logger.info(`Pruned ${removed} Kratix condition transitions`);
          },
        });

        const seconds = (key: string, fallback: number) =>
          (config.getOptionalNumber(key) ?? fallback) * 1000;
        // What a user is shown on clusters that act as each user: also what the cluster lets them get.
        const clusterAccess = new ClusterReadAccess(clusters, deps.callers);
        const reader = new EntityResources(
          deps.catalog,
          deps.permissions,
          clusters,
          trust,
          deps.auth,
          new CallerDecisions(
            deps.permissions,
            seconds('kratix.cache.decisionSeconds', 10),
          ),
          new EntityCache(
            deps.catalog,
            deps.auth,
            seconds('kratix.cache.entitySeconds', 10),
          ),
          clusterAccess,
          createVisibleRequests({
            ledger: requestLedger,
            userInfo: deps.userInfo,
            cacheMs: seconds('kratix.cache.requestsSeconds', 2),
          }),
        );
        // The plugin's own create flow: the only one that delivers through Git (others forward here).
        const ownCreation = new ResourceCreation({
          catalog: deps.catalog,
          permissions: deps.permissions,
          clusters,
          auditor: deps.auditor,
          callers: deps.callers,
          delivery: gitDelivery,
        });
        // Dry runs answer 409 for a taken name (whoever holds it): limited per user, route and MCP.
        const creation = limitDryRuns(
          ownCreation,
          new UserRateLimiter(readRateLimit(config, 'dryRuns'), 'dry runs'),
        );
        const timeline = new ResourceTimeline(
          clusters,
          journal,
          journalSettings.timelinePageSize,
        );
        const promises = new ReadablePromises(deps.permissions, clusters);
        const logs = new PipelineLogs({
          permissions: deps.permissions,
          clusters,
          kept,
          auditor: deps.auditor,
          settings: readLogSettings(config),
        });
        // The same capabilities for AI assistants (MCP), as the caller, through the same services.
        registerKratixActions({
          actionsRegistry: deps.actionsRegistry,
          promises,
          clusters,
          reader,
          creation,
          waits: deps.waits,
          logs,
          callers: deps.callers,
          requests: { ledger: requestLedger, userInfo: deps.userInfo },
        });
        const router = await createRouter({
          httpAuth: deps.httpAuth,
          logger,
          clusters,
          promises,
          reader,
          standaloneReader: new StandaloneResourceReader(
            deps.permissions,
            clusters,
            timeline,
            ownersOf,
            clusterAccess,
          ),
          timeline,
          creation,
          management: new ResourceManagement({
            reader,
            permissions: deps.permissions,
            clusters,
            auditor: deps.auditor,
            journal,
            limiter: new UserRateLimiter(
              readRateLimit(config, 'manageActions'),
              'manage actions',
            ),
            callers: deps.callers,
            delivery: gitDelivery,
          }),
          callers: deps.callers,
          stream: readStreamSettings(config),
          logs,
          tokens: new VerifiedTokens(
            seconds('kratix.cache.decisionSeconds', 10),
          ),
        });
        deps.httpRouter.use(router);
        // The router's own guard authenticates its paths, so that a 401 gets its error body (no
        // stack); the prefixes come from its route table, so a new route cannot be left out.
        for (const path of routePrefixes(router)) {
          deps.httpRouter.addAuthPolicy({ path, allow: 'unauthenticated' });
        }
      },
    });
  },
});
