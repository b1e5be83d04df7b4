import type { Answers } from '../stats/answers.ts';
import { type Counters, type StatsQuery, zeroCounters } from '../stats/query.ts';
import { instants } from '../stats/raw.ts';
import { DAY_MS, floorMod, HOUR_MS, offsetSpans } from '../timezone.ts';

export const WEEKDAYS = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'] as const;

/** One cell: a weekday (0 = Monday) and an hour of the site's clock, summed over the range's hours that fall in it. */
export interface HeatmapCell {
  weekday: number;
  hour: number;
  visitors: number;
  pageviews: number;
}

/** A stretch of consecutive hours of one weekday, among the busiest. */
export interface BestWindow {
  label: string;
  weekday: number;
  from_hour: number;
  to_hour: number;
  visitors: number;
  pageviews: number;
}

/** How long a named window is, in hours: long enough to plan around, short enough to tell mornings from evenings. */
export const WINDOW_HOURS = 2;
const BEST_WINDOWS = 3;

/**
 * Visitors and page views by weekday × hour of the site's zone: each local
 * hour of the range (as `/stats/timeseries?interval=hour` lists them) added to
 * the cell of its weekday and hour (an hour that starts at :30 after a change
 * of the clocks, to the hour it starts in). The hour the clocks go back repeats and
 * both count in its cell; the hour they skip has no events to add.
 */
export async function heatmap(answers: Answers, q: StatsQuery): Promise<{ cells: HeatmapCell[]; best_windows: BestWindow[] }> {
  const { from, to } = instants(q);
  const hours = [...(await answers.counters(q, { by: 'hour' }))].sort(([a], [b]) => Number(a) - Number(b));
  const sums: Counters[] = Array.from({ length: 7 * 24 }, zeroCounters);
  // The offsets in force, walked beside the hours in time order: each hour's wall clock by arithmetic, not by Intl.
  const spans = offsetSpans(q.timeZone, from, to);
  let span = 0;
  for (const [start, c] of hours) {
    const instant = Number(start);
    while (span < spans.length - 1 && instant >= spans[span]!.to) span++;
    const wall = instant + spans[span]!.offset;
    const day = Math.floor(wall / DAY_MS);
    // 1970-01-01 was a Thursday (weekday 3 from Monday).
    const weekday = floorMod(day + 3, 7);
    const cell = sums[weekday * 24 + Math.floor((wall - day * DAY_MS) / HOUR_MS)]!;
    cell.visitors += c.visitors;
    cell.pageviews += c.pageviews;
  }
  const cells = cellsOf(sums);
  return { cells, best_windows: bestWindows(cells) };
}

/** The heatmap of a site without data: every cell zero. */
export const emptyHeatmap = () => ({ cells: cellsOf(Array.from({ length: 7 * 24 }, zeroCounters)), best_windows: [] });

const cellsOf = (sums: readonly Counters[]): HeatmapCell[] =>
  sums.map((c, i) => ({ weekday: Math.floor(i / 24), hour: i % 24, visitors: c.visitors, pageviews: c.pageviews }));

/**
 * The busiest windows of WINDOW_HOURS hours within one weekday, by visitors
 * (then page views, then the earlier), none overlapping another; none when
 * nothing was seen.
 */
export function bestWindows(cells: readonly HeatmapCell[]): BestWindow[] {
  const windows: BestWindow[] = [];
  for (let weekday = 0; weekday < 7; weekday++) {
    for (let start = 0; start + WINDOW_HOURS <= 24; start++) {
      const inside = cells.slice(weekday * 24 + start, weekday * 24 + start + WINDOW_HOURS);
      const visitors = inside.reduce((sum, c) => sum + c.visitors, 0);
      const pageviews = inside.reduce((sum, c) => sum + c.pageviews, 0);
      if (visitors + pageviews === 0) continue;
      const label = `${WEEKDAYS[weekday]} ${clock(start)}–${clock(start + WINDOW_HOURS)}`;
      windows.push({ label, weekday, from_hour: start, to_hour: start + WINDOW_HOURS, visitors, pageviews });
    }
  }
  windows.sort((a, b) => b.visitors - a.visitors || b.pageviews - a.pageviews || a.weekday - b.weekday || a.from_hour - b.from_hour);
  const chosen: BestWindow[] = [];
  for (const w of windows) {
    if (chosen.length === BEST_WINDOWS) break;
    const overlaps = chosen.some((c) => c.weekday === w.weekday && w.from_hour < c.to_hour && c.from_hour < w.to_hour);
    if (!overlaps) chosen.push(w);
  }
  return chosen;
}

const clock = (hour: number) => `${String(hour).padStart(2, '0')}:00`;
