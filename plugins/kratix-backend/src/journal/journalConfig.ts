/*
 * Reads `kratix.history` (see config.d.ts; the config key keeps its published name): the journal's
 * retention and bound per Resource, and the timeline's page size.
 */
import type { Config } from '@backstage/config';
import { InputError } from '@backstage/errors';
import { DEFAULT_TIMELINE_PAGE, MAX_TIMELINE_PAGE } from '../service/timeline';
import { DEFAULT_MAX_ENTRIES_PER_RESOURCE } from './ResourceJournal';

export interface JournalSettings {
  retentionDays: number;
  maxEntriesPerResource: number;
  timelinePageSize: number;
}

export function readJournalSettings(config: Config): JournalSettings {
  const whole = (key: string, fallback: number, max = Infinity) => {
    const value = config.getOptionalNumber(`kratix.history.${key}`);
    if (value === undefined) return fallback;
    if (!Number.isInteger(value) || value < 1 || value > max) {
      throw new InputError(
        `kratix.history.${key} must be a whole number from 1${
          max === Infinity ? '' : ` to ${max}`
        }, got ${value}`,
      );
    }
    return value;
  };
  return {
    retentionDays:
      config.getOptionalNumber('kratix.history.retentionDays') ?? 90,
    maxEntriesPerResource: whole(
      'maxEntriesPerResource',
      DEFAULT_MAX_ENTRIES_PER_RESOURCE,
    ),
    timelinePageSize: whole(
      'timelinePageSize',
      DEFAULT_TIMELINE_PAGE,
      MAX_TIMELINE_PAGE,
    ),
  };
}
