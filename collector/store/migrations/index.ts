import type { Migration, MigrationProvider } from 'kysely';
import * as events from './2026-11-23T00-00-events.ts';
import * as visitsRollups from './2026-11-24T00-00-visits-rollups.ts';
import * as links from './2026-11-25T00-00-links.ts';
import * as scrollDepth from './2026-11-26T00-00-scroll-depth.ts';
import * as linkCodes from './2026-12-07T00-00-link-codes.ts';
import * as visitRuns from './2026-12-07T00-00-visit-runs.ts';
import * as imported from './2026-12-08T01-00-imported.ts';
import * as goals from './2026-12-08T02-00-goals.ts';
import * as reportSchedules from './2026-12-08T03-00-report-schedules.ts';
import * as sitesKeysShares from './2026-12-08T04-00-sites-keys-shares.ts';
import * as rollupPages from './2026-12-08T05-00-rollup-pages.ts';
import * as visitBounds from './2026-12-09T00-00-visit-bounds.ts';
import * as sourceEventDays from './2026-12-09T03-00-source-event-days.ts';
import * as visitTrails from './2026-12-10T00-00-visit-trails.ts';
import * as pageEngagementDays from './2026-12-10T00-01-page-engagement-days.ts';
import * as goalDays from './2026-12-10T00-02-goal-days.ts';

/**
 * Every migration, by name. Names sort by time; listing them here (rather than
 * reading a folder at run time) keeps them inside the bundled collector.
 */
const migrations: Record<string, Migration> = {
  '2026-11-23T00-00-events': events,
  '2026-11-24T00-00-visits-rollups': visitsRollups,
  '2026-11-25T00-00-links': links,
  '2026-11-26T00-00-scroll-depth': scrollDepth,
  '2026-12-07T00-00-link-codes': linkCodes,
  '2026-12-07T00-00-visit-runs': visitRuns,
  '2026-12-08T01-00-imported': imported,
  '2026-12-08T02-00-goals': goals,
  '2026-12-08T03-00-report-schedules': reportSchedules,
  '2026-12-08T04-00-sites-keys-shares': sitesKeysShares,
  '2026-12-08T05-00-rollup-pages': rollupPages,
  '2026-12-09T00-00-visit-bounds': visitBounds,
  '2026-12-09T03-00-source-event-days': sourceEventDays,
  '2026-12-10T00-00-visit-trails': visitTrails,
  '2026-12-10T00-01-page-engagement-days': pageEngagementDays,
  '2026-12-10T00-02-goal-days': goalDays,
};

export const migrationProvider: MigrationProvider = {
  getMigrations: async () => migrations,
};
