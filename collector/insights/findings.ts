import type { Answers } from '../stats/answers.ts';
import { rankedValues } from '../stats/breakdown.ts';
import type { Clause, FilterDimension, StatsQuery } from '../stats/query.ts';
import { dayDate } from '../timezone.ts';
import { dailyValues, forecastAfter } from './daily.ts';
import { Z95 } from './forecast.ts';
import { twoProportionTest, wilson } from './significance.ts';
import type { ConvertedBySource } from './source-conversions.ts';

/** One thing that stands out, with the numbers behind it, a sentence, and the read-API calls that give those numbers. */
export interface Finding {
  kind: 'spike' | 'drop' | 'mover' | 'new_referrer' | 'conversion';
  /** How strongly it stands out: a z score (new referrers: their visitors' square root). */
  score: number;
  sentence: string;
  /** A filter that shows it in the dashboard (`filters` syntax), and the day or range it is about. */
  view: { filters: string; from: string; to: string };
  numbers: Record<string, unknown>;
  reproduce: string[];
}

export const MOVER_DIMENSIONS: readonly FilterDimension[] = ['source', 'page', 'country', 'utm_campaign'];
const KIND_ORDER = ['spike', 'drop', 'mover', 'new_referrer', 'conversion'];
/** Values compared per dimension and period: the most visited, where a move can be told from noise. */
const TOP_VALUES = 50;
/** The fewest visitors over both periods a value needs before its move is tested. */
const MIN_MOVER_VISITORS = 20;
const MAX_OF_A_KIND = 5;
/** The days looked back over for a referrer to count as new: the period before, and at least four weeks. */
const NEW_LOOKBACK_DAYS = 28;
/** Anomalies are sought in the range's last 90 days, the forecast's longest horizon. */
const ANOMALY_DAYS = 90;

export interface FindingsInput {
  readonly q: StatsQuery;
  readonly previous: StatsQuery;
  /** The last day that is over (yesterday in the site's zone): today is not checked for anomalies. */
  readonly lastFullDay: number;
}

/** Clause text as the `filters` parameter takes it (`;` and `\` escaped). */
const clauseText = (c: Pick<Clause, 'dim' | 'op' | 'value'>) => `${c.dim}${c.op}${c.value.replace(/\\/g, '\\\\').replace(/;/g, '\\;')}`;
export const filtersText = (clauses: readonly Pick<Clause, 'dim' | 'op' | 'value'>[]) => clauses.map(clauseText).join(';');

/** A read-API call as a path with its query. */
function call(path: string, q: StatsQuery, extra: Record<string, string> = {}, clauses: readonly Clause[] = q.filters): string {
  const params = new URLSearchParams({ site_id: q.siteId, from: dayDate(q.from), to: dayDate(q.to), ...extra });
  const filters = filtersText(clauses);
  if (filters) params.set('filters', filters);
  return `${path}?${params}`;
}

/** The forecast call that gives a day's interval: fitted up to `lastDay`, `days` ahead. */
function forecastCall(q: StatsQuery, metric: string, lastDay: number, days: number): string {
  const params = new URLSearchParams({ site_id: q.siteId, metric, date: dayDate(lastDay), days: String(days) });
  const filters = filtersText(q.filters);
  if (filters) params.set('filters', filters);
  return `/stats/forecast?${params}`;
}

const percent = (x: number) => `${(Math.round(x * 1000) / 10).toFixed(1)}%`;
const named = (value: string | null) => (value === null ? '(none)' : value);

/** Days of the range (up to the last full day) outside the 95% interval of the forecast made the day before the range. */
export async function anomalies(answers: Answers, input: FindingsInput): Promise<Finding[]> {
  const to = Math.min(input.q.to, input.lastFullDay);
  const from = Math.max(input.q.from, to - ANOMALY_DAYS + 1);
  if (to < from) return [];
  const findings: Finding[] = [];
  // A day is one finding: page views only where visitors stayed within their interval.
  const seen = new Set<string>();
  for (const metric of ['visitors', 'pageviews'] as const) {
    const [ahead, actual] = await Promise.all([
      forecastAfter(answers, input.q, metric, from - 1, to - from + 1),
      dailyValues(answers, { ...input.q, from, to }, metric),
    ]);
    for (const [i, day] of ahead.results.entries()) {
      const value = actual[i]!;
      if ((value >= day.lower_95 && value <= day.upper_95) || seen.has(day.date)) continue;
      seen.add(day.date);
      const kind = value > day.upper_95 ? 'spike' : 'drop';
      const sdLog = (Math.log1p(day.upper_95) - Math.log1p(day.value)) / Z95;
      const score = sdLog > 0 ? Math.abs(Math.log1p(value) - Math.log1p(day.value)) / sdLog : 0;
      const q = { ...input.q, from: from + i, to: from + i };
      findings.push({
        kind,
        score,
        sentence: `${metric === 'visitors' ? 'Visitors' : 'Page views'} on ${day.date} were ${value}, ${kind === 'spike' ? 'above' : 'below'} the forecast's 95% interval (${day.lower_95}–${day.upper_95}; expected ${day.value}).`,
        view: { filters: filtersText(input.q.filters), from: day.date, to: day.date },
        numbers: { metric, date: day.date, value, expected: day.value, lower_95: day.lower_95, upper_95: day.upper_95 },
        reproduce: [call('/stats/timeseries', q, { interval: 'day' }), forecastCall(input.q, metric, from - 1, to - from + 1)],
      });
    }
  }
  return findings;
}

/** Visitors of each value of a dimension over a question's range (rows as `/stats/breakdown` ranks them). */
async function visitorsBy(answers: Answers, q: StatsQuery, dim: FilterDimension): Promise<Map<string | null, number>> {
  return new Map((await rankedValues(answers, q, dim)).map(([value, c]) => [value, c.visitors]));
}

const totalVisitors = async (answers: Answers, q: StatsQuery) => (await answers.counters(q, { by: 'total' })).get(null)?.visitors ?? 0;

/**
 * Values whose share of visitors changed from the previous period: a
 * two-proportion z-test per value, significant at 5% after a Bonferroni
 * correction for the number of values tested.
 */
async function movers(answers: Answers, input: FindingsInput, totals: [number, number]): Promise<Finding[]> {
  const [n1, n2] = totals;
  const candidates: { dim: FilterDimension; value: string | null; x1: number; x2: number }[] = [];
  for (const dim of MOVER_DIMENSIONS) {
    const [now, before] = await Promise.all([visitorsBy(answers, input.q, dim), visitorsBy(answers, input.previous, dim)]);
    const values = new Set([...[...now.keys()].slice(0, TOP_VALUES), ...[...before.keys()].slice(0, TOP_VALUES)]);
    for (const value of values) {
      const x1 = now.get(value) ?? 0;
      const x2 = before.get(value) ?? 0;
      if (x1 + x2 >= MIN_MOVER_VISITORS) candidates.push({ dim, value, x1, x2 });
    }
  }
  const alpha = 0.05 / Math.max(1, candidates.length);
  const findings: Finding[] = [];
  for (const { dim, value, x1, x2 } of candidates) {
    const { z, p } = twoProportionTest(x1, n1, x2, n2);
    if (p >= alpha || x2 === 0) continue;
    const change = Math.round(((x1 - x2) / x2) * 1000) / 10;
    const clause: Clause = { dim, op: '==', value: value ?? '' };
    findings.push({
      kind: 'mover',
      score: Math.abs(z),
      sentence: `${dim} ${named(value)}: ${percent(x2 / n2)} → ${percent(x1 / n1)} of all visitors (${x2} → ${x1} visitors, ${change > 0 ? '+' : ''}${change}%); two-proportion z-test z = ${z.toFixed(2)}, p = ${p.toPrecision(2)}, significant at 5% after Bonferroni over ${candidates.length} values.`,
      view: { filters: filtersText([...input.q.filters, clause]), from: dayDate(input.q.from), to: dayDate(input.q.to) },
      numbers: { dim, value, visitors: x1, previous_visitors: x2, total: n1, previous_total: n2, z, p, tests: candidates.length },
      reproduce: [
        call('/stats/breakdown', input.q, { by: dim, limit: '1000' }),
        call('/stats/breakdown', input.previous, { by: dim, limit: '1000' }),
        call('/stats', input.q, { compare: 'previous_period' }),
      ],
    });
  }
  return findings;
}

/** Sources with visitors in the range and none in the lookback before it. */
async function newReferrers(answers: Answers, input: FindingsInput): Promise<Finding[]> {
  const lookback = { ...input.q, from: Math.min(input.previous.from, input.q.from - NEW_LOOKBACK_DAYS), to: input.q.from - 1 };
  const [now, before] = await Promise.all([visitorsBy(answers, input.q, 'source'), visitorsBy(answers, lookback, 'source')]);
  return [...now]
    .filter(([value, visitors]) => value !== null && visitors > 0 && !before.has(value))
    .map(([value, visitors]) => ({
      kind: 'new_referrer' as const,
      score: Math.sqrt(visitors),
      sentence: `${value} is a new source: ${visitors} visitors, none from ${dayDate(lookback.from)} to ${dayDate(lookback.to)}.`,
      view: {
        filters: filtersText([...input.q.filters, { dim: 'source', op: '==', value: value! }]),
        from: dayDate(input.q.from),
        to: dayDate(input.q.to),
      },
      numbers: { source: value, visitors, lookback: { from: dayDate(lookback.from), to: dayDate(lookback.to) } },
      reproduce: [
        call('/stats/breakdown', input.q, { by: 'source', limit: '1000' }),
        call('/stats/breakdown', lookback, { by: 'source', limit: '1000' }),
      ],
    }));
}

/**
 * Conversion rate by source for the range's most done custom event: its
 * visitors from each source over the source's visitors, with Wilson's 95%
 * interval; the best source is the one whose interval's low end is highest,
 * so a high rate from few visitors does not win.
 */
async function conversion(answers: Answers, input: FindingsInput, total: number, convertedBy: ConvertedBySource): Promise<Finding[]> {
  const events = await rankedValues(answers, input.q, 'event');
  const top = events[0];
  if (!top || top[1].visitors === 0 || total === 0) return [];
  const event = top[0]!;
  const withEvent = [...input.q.filters, { dim: 'event' as const, op: '==' as const, value: event }];
  const [sources, converted] = await Promise.all([rankedValues(answers, input.q, 'source'), convertedBy(input.q, event)]);
  const rows = sources.slice(0, 10).map(([source, c]) => {
    const x = converted.get(source) ?? 0;
    const [low, high] = wilson(x, c.visitors);
    return { source, visitors: c.visitors, converted: x, rate: x / c.visitors, low, high, small_sample: c.visitors < 30 };
  });
  const siteRate = top[1].visitors / total;
  const best = rows.filter((r) => r.converted > 0).sort((a, b) => b.low - a.low)[0];
  if (!best) return [];
  return [
    {
      kind: 'conversion',
      score: best.low > siteRate ? (best.rate - siteRate) / Math.max(1e-9, (best.high - best.low) / (2 * Z95)) : 0,
      sentence: `Visitors from ${named(best.source)} convert best to "${event}": ${percent(best.rate)} (${best.converted} of ${best.visitors}; 95% interval ${percent(best.low)}–${percent(best.high)}), against ${percent(siteRate)} of all visitors.`,
      view: {
        filters: filtersText([...input.q.filters, { dim: 'source', op: '==', value: best.source ?? '' }]),
        from: dayDate(input.q.from),
        to: dayDate(input.q.to),
      },
      numbers: {
        event,
        site_rate: siteRate,
        sources: rows.map((r) => ({
          ...r,
          rate: Math.round(r.rate * 10000) / 10000,
          low: Math.round(r.low * 10000) / 10000,
          high: Math.round(r.high * 10000) / 10000,
        })),
      },
      reproduce: [
        call('/stats/breakdown', input.q, { by: 'source', limit: '1000' }),
        call('/stats/breakdown', input.q, { by: 'source', limit: '1000' }, withEvent),
        call('/stats/breakdown', input.q, { by: 'event' }),
      ],
    },
  ];
}

/**
 * The findings of a range, ranked: spikes and drops, then movers, new
 * sources, and conversion by source (`convertedBy`: source-conversions.ts);
 * within a kind by score, at most five of each. Nothing found is an empty list.
 */
export async function findings(answers: Answers, input: FindingsInput, convertedBy: ConvertedBySource): Promise<Finding[]> {
  const totals = await Promise.all([totalVisitors(answers, input.q), totalVisitors(answers, input.previous)]);
  const all = [
    ...(await anomalies(answers, input)),
    ...(await movers(answers, input, totals)),
    ...(await newReferrers(answers, input)),
    ...(await conversion(answers, input, totals[0], convertedBy)),
  ];
  all.sort((a, b) => KIND_ORDER.indexOf(a.kind) - KIND_ORDER.indexOf(b.kind) || b.score - a.score);
  const kept = new Map<string, number>();
  return all.filter((f) => {
    const n = kept.get(f.kind) ?? 0;
    kept.set(f.kind, n + 1);
    return n < MAX_OF_A_KIND;
  });
}
