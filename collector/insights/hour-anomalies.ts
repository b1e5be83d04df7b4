import type { Answers } from '../stats/answers.ts';
import type { StatsQuery } from '../stats/query.ts';
import { dayDate, floorMod, zoneBuckets, zonedTime, zoneOffset } from '../timezone.ts';
import { type Finding, filtersText } from './findings.ts';
import { WEEKDAYS } from './heatmap.ts';

const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;
/** Weeks looked back over for the same hour of the week. */
export const HOUR_WEEKS = 8;
/** The fewest of those weeks with traffic (on their day) for an hour to be judged. */
const MIN_WEEKS = 4;
/** Student's t, two-sided 95%, by degrees of freedom (weeks − 1). */
const T95: Record<number, number> = { 3: 3.182, 4: 2.776, 5: 2.571, 6: 2.447, 7: 2.365 };

/** The local hour before the one `now` falls in: the last that is over. */
export function lastFullHour(now: number, timeZone: string): number {
  const buckets = zoneBuckets(timeZone);
  return buckets(buckets(now).hour - 1).hour;
}

/** An hour's local wall clock: its day and `YYYY-MM-DDTHH:00`. */
export function hourLabel(start: number, timeZone: string): { day: number; hour: number; label: string } {
  const wall = start + zoneOffset(start, timeZone);
  const day = Math.floor(wall / DAY_MS);
  const hour = Math.floor((wall - day * DAY_MS) / HOUR_MS);
  return { day, hour, label: `${dayDate(day)}T${String(hour).padStart(2, '0')}:00` };
}

/**
 * The spikes and drops of one local hour: its visitors (then page views)
 * against the same hour of the same weekday over the HOUR_WEEKS weeks before,
 * those of them whose day had any traffic (at least MIN_WEEKS). On the
 * log(1 + y) scale their mean m and standard deviation s give the 95%
 * prediction interval of one more week, m ± t(n − 1) · s′ · √(1 + 1/n), with
 * s′² = s² + 1/(1 + ȳ): the spread a count of mean ȳ has by chance alone
 * (Poisson's, on that scale), so that a few visitors in an hour that is
 * always empty stand out only when they are many. One finding an hour.
 */
export async function hourAnomalies(answers: Answers, q: Omit<StatsQuery, 'from' | 'to'>, start: number): Promise<Finding[]> {
  const { day, hour, label } = hourLabel(start, q.timeZone);
  const buckets = zoneBuckets(q.timeZone);
  const range = { ...q, from: day - 7 * HOUR_WEEKS, to: day };
  const [hours, days] = await Promise.all([
    answers.counters(range, { by: 'hour' }),
    answers.counters({ ...range, to: day - 1 }, { by: 'day' }),
  ]);
  const weeks = Array.from({ length: HOUR_WEEKS }, (_, k) => day - 7 * (k + 1)).filter((d) => (days.get(d)?.visitors ?? 0) > 0);
  if (weeks.length < MIN_WEEKS) return [];
  const reproduce = `/stats/timeseries?${new URLSearchParams({
    site_id: q.siteId,
    from: dayDate(range.from),
    to: dayDate(range.to),
    interval: 'hour',
    ...(q.filters.length ? { filters: filtersText(q.filters) } : {}),
  })}`;
  for (const metric of ['visitors', 'pageviews'] as const) {
    const history = weeks.map((d) => hours.get(buckets(zonedTime(dayDate(d), q.timeZone, hour)).hour)?.[metric] ?? 0);
    const value = hours.get(start)?.[metric] ?? 0;
    const logs = history.map((y) => Math.log1p(y));
    const n = logs.length;
    const m = logs.reduce((a, b) => a + b, 0) / n;
    const s2 = logs.reduce((a, b) => a + (b - m) ** 2, 0) / (n - 1);
    const mean = history.reduce((a, b) => a + b, 0) / n;
    const sd = Math.sqrt(s2 + 1 / (1 + mean));
    const half = T95[n - 1]! * sd * Math.sqrt(1 + 1 / n);
    const lower = Math.max(0, Math.round(Math.expm1(m - half) * 10) / 10);
    const upper = Math.round(Math.expm1(m + half) * 10) / 10;
    if (value >= lower && value <= upper) continue;
    const expected = Math.round(Math.expm1(m) * 10) / 10;
    const kind = value > upper ? 'spike' : 'drop';
    const name = metric === 'visitors' ? 'Visitors' : 'Page views';
    return [
      {
        kind,
        score: Math.abs(Math.log1p(value) - m) / sd,
        sentence: `${name} from ${label.slice(11)} on ${dayDate(day)} were ${value}, ${kind === 'spike' ? 'above' : 'below'} the 95% interval of that hour on the ${n} ${WEEKDAYS[floorMod(day + 3, 7)]}s before (${lower}–${upper}; expected ${expected}).`,
        view: { filters: filtersText(q.filters), from: dayDate(day), to: dayDate(day) },
        numbers: { metric, hour: label, value, expected, lower_95: lower, upper_95: upper, weeks: weeks.map(dayDate) },
        reproduce: [reproduce],
      },
    ];
  }
  return [];
}
