import { DEFAULT_PERIOD, type Period } from './state.ts';

// The view a dashboard opens on when its address names no period: a new
// site's first day drawn as one bar at the right edge of 30 days says
// nothing, the same day by the hour does.

/** Whether the address leaves the period to the dashboard: it names none, no range and no day. */
export function leavesPeriodOpen(search: string): boolean {
  const q = new URLSearchParams(search);
  return !['period', 'from', 'to', 'date'].some((name) => q.has(name));
}

/**
 * The period that shows the data a site has: its day, by the hour, when its
 * first data is from today; the last 7 days when it began within them;
 * otherwise the default 30 days. `firstDay` is the first local day with data
 * (`period=all`'s range), undefined for a site with none.
 */
export function firstPeriod(firstDay: string | undefined, today: string): Period {
  if (!firstDay) return DEFAULT_PERIOD;
  const days = (Date.parse(today) - Date.parse(firstDay)) / 86_400_000;
  if (days < 1) return 'day';
  if (days < 7) return '7d';
  return DEFAULT_PERIOD;
}
