import type { ForecastMetric } from '../../insights/daily.ts';
import type { ChartModel } from './chart-model.ts';
import type { ChartMetric } from './state.ts';
import type { ForecastResponse } from './types.ts';

// Every metric the forecast API answers; the type makes a new one a decision here.
const FORECASTS: Record<ForecastMetric, true> = { visitors: true, pageviews: true, visits: true, events: true, revenue: true };

/** The metric a chart's forecast is of (the default chart's: visitors), or null for one the API does not forecast (rates, durations). */
export function forecastMetric(metric: ChartMetric | null): ForecastMetric | null {
  const m = metric ?? 'visitors';
  return isForecast(m) ? m : null;
}

const isForecast = (m: string): m is ForecastMetric => Object.hasOwn(FORECASTS, m);

/** The forecast's days to draw on a chart: none when it forecasts another currency than the chart draws. */
export function forecastRows(answer: ForecastResponse | null, model: Pick<ChartModel, 'currency'>): ForecastRow[] | null {
  if (!answer) return null;
  if (model.currency !== null && answer.currency !== model.currency) return null;
  return answer.results;
}

/** The forecast and the findings the main chart can draw over its days. */
interface ForecastRow {
  readonly date: string;
  readonly value: number;
  readonly lower_80: number;
  readonly upper_80: number;
}

export interface DayFinding {
  readonly kind: string;
  readonly numbers: Record<string, unknown>;
}

/** What is drawn besides the series: the forecast's median and 80% band after the last day, and markers on spike and drop days. */
export interface ChartOverlay {
  readonly median: readonly (number | null)[];
  readonly lower: readonly (number | null)[];
  readonly upper: readonly (number | null)[];
  /** A marker's height (the day's value) on a day with a spike or drop; null elsewhere. */
  readonly markers: readonly (number | null)[];
  /** The kind of each marked day, for the tooltip. */
  readonly marked: ReadonlyMap<string, string>;
}

export type ModelWithOverlay = ChartModel & { readonly overlay?: ChartOverlay };

/**
 * Adds the forecast after the chart's days (daily charts only), from the day
 * after the last one with a value, and marks the
 * days the findings name as spikes or drops of the first series' metric.
 */
export function withOverlay(model: ChartModel, forecast: readonly ForecastRow[] | null, findings: readonly DayFinding[]): ModelWithOverlay {
  if (model.interval !== 'day') return model;
  const metric = model.series[0]?.metric;
  const values = model.series[0]?.values ?? [];
  let last = values.length - 1;
  while (last >= 0 && values[last] === null) last--;
  const lastDate = last >= 0 ? model.buckets[last]! : null;
  // Forecast days inside the range take the place of its empty future buckets; those after it are added.
  const ahead = (forecast ?? []).filter((r) => lastDate !== null && r.date > lastDate);
  const extra = ahead.filter((r) => !model.buckets.includes(r.date)).map((r) => r.date);
  const buckets = [...model.buckets, ...extra];
  const byDate = new Map(ahead.map((r) => [r.date, r]));
  const pad = (values: readonly (number | null)[]) => [...values, ...extra.map(() => null)];
  const at = (pick: (r: ForecastRow) => number) =>
    buckets.map((d, i) => (i === last && byDate.size ? model.series[0]!.values[last]! : byDate.has(d) ? pick(byDate.get(d)!) : null));
  const marked = new Map<string, string>();
  for (const f of findings)
    if (
      (f.kind === 'spike' || f.kind === 'drop') &&
      typeof f.numbers.date === 'string' &&
      (f.numbers.metric === metric || !marked.has(f.numbers.date))
    )
      marked.set(f.numbers.date, f.kind);
  const first = model.series[0]?.values ?? [];
  return {
    ...model,
    buckets,
    compareBuckets: model.compareBuckets ? [...model.compareBuckets, ...extra.map(() => '')] : null,
    series: model.series.map((s) => ({ ...s, values: pad(s.values), compare: s.compare ? pad(s.compare) : null })),
    overlay: {
      median: at((r) => r.value),
      lower: at((r) => r.lower_80),
      upper: at((r) => r.upper_80),
      markers: buckets.map((d, i) => (marked.has(d) ? (first[i] ?? null) : null)),
      marked,
    },
  };
}

/** The forecast of a day the chart has no value for yet: its median and 80% band; null elsewhere. */
export function forecastAt(m: ModelWithOverlay, i: number): { value: number; lower: number; upper: number } | null {
  const o = m.overlay;
  const value = o?.median[i];
  if (!o || value === null || value === undefined || (m.series[0]?.values[i] ?? null) !== null) return null;
  return { value, lower: o.lower[i] ?? value, upper: o.upper[i] ?? value };
}

/** The overlay's columns of chart data: median, lower, upper, markers (none without an overlay). */
export function overlayData(m: ModelWithOverlay): (number | null)[][] {
  const o = m.overlay;
  return o ? [[...o.median], [...o.lower], [...o.upper], [...o.markers]] : [];
}

/** The overlay's uPlot series and the band between its upper and lower bounds, numbered after the chart's own series. */
export function overlayOptions(
  m: ModelWithOverlay,
  color: string,
): {
  series: {
    label: string;
    stroke?: string;
    width?: number;
    dash?: number[];
    points?: { show: boolean; size?: number; fill?: string; stroke?: string };
  }[];
  bands: { series: [number, number]; fill: string }[];
} {
  if (!m.overlay) return { series: [], bands: [] };
  const first = 1 + m.series.length + m.series.filter((s) => s.compare).length;
  return {
    series: [
      { label: 'Forecast', stroke: color, width: 1.5, dash: [2, 4], points: { show: false } },
      { label: 'Forecast, 80% low', width: 0, points: { show: false } },
      { label: 'Forecast, 80% high', width: 0, points: { show: false } },
      { label: 'Spike or drop', width: 0, points: { show: true, size: 9, fill: '#dc2626', stroke: '#dc2626' } },
    ],
    bands: [{ series: [first + 2, first + 1], fill: `${color}33` }],
  };
}
