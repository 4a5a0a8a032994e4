/* Reads `search.collators.kratix` (see config.d.ts). */
import {
  readSchedulerServiceTaskScheduleDefinitionFromConfig,
  type SchedulerServiceTaskScheduleDefinition,
} from '@backstage/backend-plugin-api';
import type { Config } from '@backstage/config';

/**
 * What the Kratix collators index.
 *
 * @public
 */
export interface KratixCollatorScope {
  /** Cluster names; every configured cluster when undefined. */
  clusters?: string[];
  /** Promise names; every Promise when undefined. */
  promises?: string[];
  /**
   * Index clusters that act as each user (auth.type impersonate or oidc) under Backstage's policy
   * alone. Default false: they are left out, since search cannot ask the cluster per user.
   */
  includeClustersActingAsUser?: boolean;
}

const CONFIG_KEY = 'search.collators.kratix';

const DEFAULT_SCHEDULE: SchedulerServiceTaskScheduleDefinition = {
  frequency: { minutes: 10 },
  timeout: { minutes: 15 },
  initialDelay: { seconds: 3 },
};

export function readCollatorScope(config: Config): KratixCollatorScope {
  return {
    clusters: config.getOptionalStringArray(`${CONFIG_KEY}.clusters`),
    promises: config.getOptionalStringArray(`${CONFIG_KEY}.promises`),
    includeClustersActingAsUser: config.getOptionalBoolean(
      `${CONFIG_KEY}.includeClustersActingAsUser`,
    ),
  };
}

export function readCollatorSchedule(
  config: Config,
): SchedulerServiceTaskScheduleDefinition {
  const schedule = config.getOptionalConfig(`${CONFIG_KEY}.schedule`);
  return schedule
    ? readSchedulerServiceTaskScheduleDefinitionFromConfig(schedule)
    : DEFAULT_SCHEDULE;
}
