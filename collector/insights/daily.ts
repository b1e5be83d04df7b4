import type { Answers } from '../stats/answers.ts';
import type { StatsQuery } from '../stats/query.ts';
import { amountOfMicros } from '../store/revenue.ts';
import { dayDate } from '../timezone.ts';
import { MIN_HISTORY, type Prediction, predictDays } from './forecast.ts';

export const FORECAST_METRICS = ['visitors', 'pageviews', 'visits', 'events', 'revenue'] as const;
export type ForecastMetric = (typeof FORECAST_METRICS)[number];

/** Days of history a forecast is fitted on, at most: a year holds every weekday 52 times and follows this year's trend. */
export const HISTORY_DAYS = 365;
export const MAX_FORECAST_DAYS = 90;

type CountedMetric = Exclude<ForecastMetric, 'revenue'>;

/** A metric's value on each day of a question's range, as `/stats/timeseries?interval=day` answers it. */
export async function dailyValues(answers: Answers, q: StatsQuery, metric: CountedMetric): Promise<number[]> {
  const days = await answers.counters(q, { by: 'day' });
  return Array.from({ length: q.to - q.from + 1 }, (_, i) => days.get(q.from + i)?.[metric] ?? 0);
}

/** Revenue in one currency on each day of a question's range, as `/stats/timeseries?interval=day` answers it in `revenue`. */
async function dailyRevenue(answers: Answers, q: StatsQuery, currency: string): Promise<number[]> {
  const micros = new Map<number, bigint>();
  for (const r of await answers.revenueByDay(q)) if (r.currency === currency) micros.set(r.day, (micros.get(r.day) ?? 0n) + r.micros);
  return Array.from({ length: q.to - q.from + 1 }, (_, i) => amountOfMicros(micros.get(q.from + i) ?? 0n));
}

/** The currency of the most revenue over a question's range (ties: the first by code); null with none. */
async function mainCurrency(answers: Answers, q: StatsQuery): Promise<string | null> {
  const totals = new Map<string, bigint>();
  for (const r of await answers.revenue(q, false)) totals.set(r.currency, (totals.get(r.currency) ?? 0n) + r.micros);
  const ranked = [...totals].sort(([a, x], [b, y]) => (y > x ? 1 : y < x ? -1 : a < b ? -1 : 1));
  return ranked[0]?.[0] ?? null;
}

export interface DailyForecast {
  /** The currency forecast, for revenue. */
  readonly currency?: string;
  /** The days fitted on: from the first with data, within HISTORY_DAYS up to the last day; null without enough. */
  readonly history: { readonly from: string; readonly to: string; readonly days: number } | null;
  readonly model: { name: string; alpha: number; beta: number; gamma: number; sigma: number; aic: number } | null;
  readonly results: (Prediction & { date: string })[];
  /** Why there is no forecast, when there is none. */
  readonly reason?: string;
}

const round = (x: number, places: number) => Math.round(x * 10 ** places) / 10 ** places;

/**
 * The forecast of a metric for the `days` days after `lastDay`, fitted on the
 * HISTORY_DAYS up to it under the question's filters; the days before the
 * first with data are left out, as days before the site existed. Revenue is
 * forecast in one currency: `currency`, or the one of the most revenue over
 * those days.
 */
export async function forecastAfter(
  answers: Answers,
  q: Omit<StatsQuery, 'from' | 'to'>,
  metric: ForecastMetric,
  lastDay: number,
  days: number,
  currency?: string,
): Promise<DailyForecast> {
  const range = { ...q, from: lastDay - HISTORY_DAYS + 1, to: lastDay };
  const money = metric === 'revenue' ? (currency ?? (await mainCurrency(answers, range))) : null;
  const values =
    metric === 'revenue' ? (money === null ? [] : await dailyRevenue(answers, range, money)) : await dailyValues(answers, range, metric);
  const first = values.findIndex((v) => v > 0);
  const history = first < 0 ? [] : values.slice(first);
  const priced = money === null ? {} : { currency: money };
  if (history.length < MIN_HISTORY)
    return {
      ...priced,
      history: null,
      model: null,
      results: [],
      reason: `a forecast needs ${MIN_HISTORY} days of data, from the first day with any`,
    };
  const { model, predictions } = predictDays(history, days);
  return {
    ...priced,
    history: { from: dayDate(range.from + first), to: dayDate(lastDay), days: history.length },
    model: {
      name: model.name,
      alpha: round(model.alpha, 4),
      beta: round(model.beta, 4),
      gamma: round(model.gamma, 4),
      sigma: round(model.sigma, 4),
      aic: round(model.aic, 2),
    },
    results: predictions.map((p, i) => ({
      date: dayDate(lastDay + 1 + i),
      value: round(p.value, 1),
      lower_80: round(p.lower_80, 1),
      upper_80: round(p.upper_80, 1),
      lower_95: round(p.lower_95, 1),
      upper_95: round(p.upper_95, 1),
    })),
  };
}
