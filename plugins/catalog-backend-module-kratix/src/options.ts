/* Reads `catalog.providers.kratix` (see config.d.ts). */
import {
  readSchedulerServiceTaskScheduleDefinitionFromConfig,
  type SchedulerServiceTaskScheduleDefinition,
} from '@backstage/backend-plugin-api';
import { parseEntityRef, stringifyEntityRef } from '@backstage/catalog-model';
import type { Config } from '@backstage/config';

/**
 * `catalog.providers.kratix`, read.
 * @public
 */
export interface KratixProviderOptions {
  /** Undefined: every configured cluster. */
  clusters?: string[];
  /** Undefined: every Promise. */
  promises?: string[];
  /** A full entity reference. */
  defaultOwner: string;
  /** A full entity reference. */
  defaultSystem?: string;
  schedule: SchedulerServiceTaskScheduleDefinition;
  templates: boolean;
}

export const DEFAULT_SCHEDULE: SchedulerServiceTaskScheduleDefinition = {
  frequency: { minutes: 1 },
  timeout: { minutes: 3 },
  initialDelay: { seconds: 5 },
};

/** A reference as the catalog stores it, so bare names mean the same in every entity namespace. */
export function fullRef(
  ref: string,
  defaultKind: string,
  defaultNamespace = 'default',
): string {
  return stringifyEntityRef(
    parseEntityRef(ref, { defaultKind, defaultNamespace }),
  ).toLocaleLowerCase('en-US');
}

/**
 * Reads `catalog.providers.kratix`.
 * @public
 */
export function readProviderOptions(config: Config): KratixProviderOptions {
  const c = config.getOptionalConfig('catalog.providers.kratix');
  const defaultSystem = c?.getOptionalString('defaultSystem');
  return {
    clusters: c?.getOptionalStringArray('clusters'),
    promises: c?.getOptionalStringArray('promises'),
    defaultOwner: fullRef(
      c?.getOptionalString('defaultOwner') ?? 'kratix-platform',
      'group',
    ),
    defaultSystem: defaultSystem ? fullRef(defaultSystem, 'system') : undefined,
    schedule: c?.has('schedule')
      ? readSchedulerServiceTaskScheduleDefinitionFromConfig(
          c.getConfig('schedule'),
        )
      : DEFAULT_SCHEDULE,
    templates: c?.getOptionalBoolean('templates') ?? true,
  };
}
