import { MIN_HISTORY, predictDays, SEASON } from './forecast.ts';

/** How a forecast did on days it had not seen, beside the seasonal-naive forecast (each day as the same weekday a week before). */
export interface Backtest {
  readonly horizon: number;
  readonly origins: number;
  /** Mean absolute error scaled by the training days' mean absolute weekly difference (Hyndman & Koehler 2006). */
  readonly mase: number;
  readonly naiveMase: number;
  /** mase / naiveMase: below 1, the forecast beats the seasonal-naive one. */
  readonly relative: number;
  /** The share of held-out days inside the 80% prediction interval. */
  readonly coverage80: number;
}

/**
 * Rolling-origin evaluation: at each of `origins` cut-off days a week apart
 * (the last leaving exactly `horizon` days after it), the model is fitted on
 * the days before and forecasts the next `horizon` days.
 */
export function backtest(y: readonly number[], horizon: number, origins: number): Backtest {
  let errors = 0;
  let naiveErrors = 0;
  let covered = 0;
  let days = 0;
  let used = 0;
  for (let i = 0; i < origins; i++) {
    const cut = y.length - horizon - i * SEASON;
    if (cut < MIN_HISTORY + SEASON) break;
    const train = y.slice(0, cut);
    let scale = 0;
    for (let t = SEASON; t < cut; t++) scale += Math.abs(train[t]! - train[t - SEASON]!);
    scale /= cut - SEASON;
    if (scale === 0) continue;
    const ahead = predictDays(train, horizon).predictions;
    let e = 0;
    let n = 0;
    for (let h = 0; h < horizon; h++) {
      const actual = y[cut + h]!;
      const point = ahead[h]!;
      e += Math.abs(actual - point.value);
      n += Math.abs(actual - train[cut - SEASON + (h % SEASON)]!);
      if (actual >= point.lower_80 && actual <= point.upper_80) covered++;
      days++;
    }
    errors += e / horizon / scale;
    naiveErrors += n / horizon / scale;
    used++;
  }
  const mase = used ? errors / used : Number.NaN;
  const naiveMase = used ? naiveErrors / used : Number.NaN;
  return { horizon, origins: used, mase, naiveMase, relative: mase / naiveMase, coverage80: days ? covered / days : Number.NaN };
}

/** A daily series with a trend, a weekly pattern and noise, for checking the forecast where the truth is known. */
export function generatedSeries(days: number, random: () => number): number[] {
  const weekly = [1.05, 1.1, 1.08, 1.04, 0.97, 0.82, 0.78];
  return Array.from({ length: days }, (_, t) => {
    const mean = (400 + 1.2 * t) * weekly[t % SEASON]!;
    return Math.max(0, Math.round(mean + 0.06 * mean * random()));
  });
}
