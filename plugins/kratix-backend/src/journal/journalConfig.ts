/*
 * Reads `kratix.history` (see config.d.ts; the config key keeps its published name): the journal's
 * retention and bound per Resource, and the timeline's page size.
 */
import type { Config } from '@backstage/config';
import { InputError } from '@backstage/errors';
import { DEFAULT_TIMELINE_PAGE, MAX_TIMELINE_PAGE } from '../service/timeline';
import { DEFAULT_MAX_ENTRIES_PER_RESOURCE } from './ResourceJournal';
import { DEFAULT_FAILED_LOG_LINES } from './FailedLogKeeper';

/** The most lines kept of one failed container (kratix.history.failedLogLines). */
export const MAX_FAILED_LOG_LINES = 1000;

export interface JournalSettings {
  retentionDays: number;
  maxEntriesPerResource: number;
  timelinePageSize: number;
  /** Last lines kept of each failed pipeline container; 0: none kept. */
  failedLogLines: number;
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
  const failedLogLines =
    config.getOptionalNumber('kratix.history.failedLogLines') ??
    DEFAULT_FAILED_LOG_LINES;
  if (
    !Number.isInteger(failedLogLines) ||
    failedLogLines < 0 ||
    failedLogLines > MAX_FAILED_LOG_LINES
  ) {
    throw new InputError(
      `kratix.history.failedLogLines must be a whole number from 0 (keep none) to ${MAX_FAILED_LOG_LINES}, got ${failedLogLines}`,
    );
  }
  return {
    failedLogLines,
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
