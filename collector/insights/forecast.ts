/*
 * Exponential smoothing with an additive weekly season: Holt-Winters in its
 * state-space form, ETS(A,A,A), and without a trend, ETS(A,N,A) (Hyndman,
 * Koehler, Ord & Snyder, "Forecasting with Exponential Smoothing", 2008).
 * Daily web traffic is a level that drifts, a weekly pattern, and noise; these
 * models are that, explainable in a sentence, fitted in milliseconds, and have
 * prediction intervals in closed form (their Table 6.1). Both are fitted; the
 * lower AIC wins, so a site without a trend is not extrapolated along one.
 * `predictDays` fits them to log(1 + y): traffic's weekly swing and its noise
 * grow with its level, which on that scale are constant, as the additive
 * model assumes (backtests: the 80% interval covered 67–74% of held-out days
 * fitted to y itself, 79–88% fitted to log(1 + y)). The intervals' spread h
 * days ahead is the model's own error h days ahead on the series it was
 * fitted to (`forecastMeasured`), not the equations' alone, which assume the
 * fitted parameters true and the model exact: with those, 28 days ahead
 * covered 69% of held-out days of the bench's generated series.
 */

/** The season's length in days. */
export const SEASON = 7;

export interface Smoothing {
  readonly alpha: number;
  readonly beta: number;
  readonly gamma: number;
}

export interface FittedModel extends Smoothing {
  readonly name: 'ETS(A,A,A)' | 'ETS(A,N,A)';
  readonly trend: boolean;
  /** The residuals' standard deviation (one step ahead). */
  readonly sigma: number;
  readonly aic: number;
  /** The state after the last observation. */
  readonly level: number;
  readonly slope: number;
  /** The seasonal terms of the next SEASON days, the next first. */
  readonly season: readonly number[];
  /** One-step-ahead forecasts of the observations, each from those before it. */
  readonly fitted: readonly number[];
  /**
   * The root mean square of the model's own in-sample errors h days ahead
   * (h = 1…MAX_HORIZON), from every day after the first two weeks as an
   * origin; null where fewer than MIN_ERRORS origins leave h days to check.
   */
  readonly errorsAhead: readonly (number | null)[];
}

export interface ForecastPoint {
  readonly mean: number;
  readonly sd: number;
}

/** The fewest observations a model is fitted on: two weeks to start the season and the trend, one more to learn from. */
export const MIN_HISTORY = 3 * SEASON;

interface Start {
  level: number;
  slope: number;
  season: number[];
}

/**
 * The starting state: a line and a centred weekly pattern fitted to the first
 * weeks (up to half a year: the noise of a weekday's first few values would
 * stay in a season that is smoothed slowly) by their weekly means, so that a series that is exactly a
 * line plus a weekly pattern is forecast exactly.
 */
function startState(y: ArrayLike<number>, trend: boolean): Start {
  const weeks = Math.min(26, Math.floor(y.length / SEASON));
  const weekMean = (w: number) => {
    let s = 0;
    for (let i = 0; i < SEASON; i++) s += y[w * SEASON + i]!;
    return s / SEASON;
  };
  const slope = trend && weeks > 1 ? (weekMean(weeks - 1) - weekMean(0)) / ((weeks - 1) * SEASON) : 0;
  // Observation t (from 0) sits at time t + 1; the level is that of time 0.
  let sum = 0;
  for (let t = 0; t < weeks * SEASON; t++) sum += y[t]! - slope * (t + 1);
  const level = sum / (weeks * SEASON);
  const season = Array.from({ length: SEASON }, (_, i) => {
    let s = 0;
    for (let w = 0; w < weeks; w++) s += y[w * SEASON + i]! - level - slope * (w * SEASON + i + 1);
    return s / weeks;
  });
  return { level, slope, season };
}

/** The longest horizon in-sample errors are measured for (the read API's longest forecast). */
export const MAX_HORIZON = 90;
/** The fewest origins an in-sample error h days ahead is measured over, for it to stand. */
const MIN_ERRORS = 4 * SEASON;

/** Runs the recursions over y; the sum of squared one-step errors, the end state, and, when asked, the forecasts and states. */
function smooth(y: ArrayLike<number>, p: Smoothing, start: Start, fitted?: number[], states?: Start[]) {
  let level = start.level;
  let slope = start.slope;
  const season = start.season.slice();
  let sse = 0;
  for (let t = 0; t < y.length; t++) {
    const s = season[t % SEASON]!;
    const forecast = level + slope + s;
    const error = y[t]! - forecast;
    fitted?.push(forecast);
    states?.push({ level, slope, season: season.slice() });
    sse += error * error;
    const previousLevel = level;
    level = previousLevel + slope + p.alpha * error;
    slope += p.beta * error;
    season[t % SEASON] = s + p.gamma * error;
  }
  const next = Array.from({ length: SEASON }, (_, h) => season[(y.length + h) % SEASON]!);
  return { sse, level, slope, season: next };
}

/** Smoothing parameters that keep the model forecastable: 0 < α < 1, 0 ≤ β ≤ α, 0 ≤ γ ≤ 1 − α. */
function admissible(p: Smoothing): boolean {
  return p.alpha > 0 && p.alpha < 1 && p.beta >= 0 && p.beta <= p.alpha && p.gamma >= 0 && p.gamma <= 1 - p.alpha;
}

/** The parameters of least squared one-step error: a grid, then a pattern search around its best. */
function fitParameters(y: ArrayLike<number>, trend: boolean, start: Start): { p: Smoothing; sse: number } {
  const cost = (p: Smoothing) => (admissible(p) ? smooth(y, p, start).sse : Number.POSITIVE_INFINITY);
  let best: Smoothing = { alpha: 0.5, beta: 0, gamma: 0 };
  let bestCost = Number.POSITIVE_INFINITY;
  const betas = trend ? [0, 0.001, 0.01, 0.05, 0.15] : [0];
  for (let a = 0.05; a < 1; a += 0.1)
    for (const beta of betas)
      for (let g = 0; g <= 0.6; g += 0.1) {
        const p = { alpha: a, beta: Math.min(beta, a), gamma: g };
        const c = cost(p);
        if (c < bestCost) [best, bestCost] = [p, c];
      }
  // A fixed number of halvings: the search ends whatever the series.
  let step = 0.05;
  for (let round = 0; round < 12; round++) {
    let moved = false;
    for (const key of trend ? (['alpha', 'beta', 'gamma'] as const) : (['alpha', 'gamma'] as const))
      for (const sign of [-1, 1]) {
        const p = { ...best, [key]: best[key] + sign * (key === 'beta' ? step / 5 : step) };
        const c = cost(p);
        if (c < bestCost) [best, bestCost, moved] = [p, c, true];
      }
    if (!moved) step /= 2;
  }
  return { p: best, sse: bestCost };
}

/** Fits one model (with or without a trend) to daily values, oldest first. */
export function fitModel(y: ArrayLike<number>, trend: boolean): FittedModel {
  if (y.length < MIN_HISTORY) throw new RangeError(`a forecast needs at least ${MIN_HISTORY} days`);
  const start = startState(y, trend);
  const { p } = fitParameters(y, trend, start);
  const fitted: number[] = [];
  const states: Start[] = [];
  const end = smooth(y, p, start, fitted, states);
  // Parameters and starting states estimated: α, γ, level, 6 free seasonal terms; β and the slope with a trend.
  const k = (trend ? 3 : 2) + (trend ? 2 : 1) + SEASON - 1;
  const n = y.length;
  const sigma = Math.sqrt(end.sse / Math.max(1, n - k));
  const aic = n * Math.log(Math.max(end.sse, Number.MIN_VALUE) / n) + 2 * k;
  const name = trend ? 'ETS(A,A,A)' : 'ETS(A,N,A)';
  return {
    name,
    trend,
    ...p,
    sigma,
    aic,
    level: end.level,
    slope: end.slope,
    season: end.season,
    fitted,
    errorsAhead: errorsAhead(y, states),
  };
}

/**
 * In-sample errors h days ahead: from the state before each day t (after the
 * first two weeks, which the start was fitted to), the forecast of day
 * t + h − 1 against what came.
 */
function errorsAhead(y: ArrayLike<number>, states: readonly Start[]): (number | null)[] {
  return Array.from({ length: MAX_HORIZON }, (_, i) => {
    const h = i + 1;
    let squares = 0;
    let n = 0;
    for (let t = 2 * SEASON; t + h - 1 < y.length; t++) {
      const s = states[t]!;
      const error = y[t + h - 1]! - (s.level + h * s.slope + s.season[(t + h - 1) % SEASON]!);
      squares += error * error;
      n++;
    }
    return n >= MIN_ERRORS ? Math.sqrt(squares / n) : null;
  });
}

/** The better of the two models by AIC. */
export function fitBest(y: ArrayLike<number>): FittedModel {
  const withTrend = fitModel(y, true);
  const without = fitModel(y, false);
  return withTrend.aic < without.aic ? withTrend : without;
}

/**
 * The forecast h = 1…days ahead: its mean, and the standard deviation of its
 * error, σ²[1 + (h−1){α² + αβh + β²h(2h−1)/6} + γk{2α + γ + βm(k+1)}] with
 * k = ⌊(h−1)/m⌋ (Hyndman et al. 2008, Table 6.1, class 1): the model's own
 * equations, which hold when the model is the truth and its parameters known.
 */
export function forecast(model: FittedModel, days: number): ForecastPoint[] {
  const { alpha: a, beta: b, gamma: g, sigma } = model;
  return Array.from({ length: days }, (_, i) => {
    const h = i + 1;
    const k = Math.floor((h - 1) / SEASON);
    const variance = 1 + (h - 1) * (a * a + a * b * h + (b * b * h * (2 * h - 1)) / 6) + g * k * (2 * a + g + b * SEASON * (k + 1));
    return { mean: model.level + h * model.slope + model.season[i % SEASON]!, sd: sigma * Math.sqrt(variance) };
  });
}

/**
 * The forecast with the spread the model showed on the series itself: h days
 * ahead, the root mean square of its in-sample errors h days ahead
 * (`errorsAhead`), which also counts what the equations leave out (estimated
 * parameters, a trend that bends). Past the horizons measured, the equations'
 * growth from the last one measured; with none measured (a short history),
 * the equations alone.
 */
export function forecastMeasured(model: FittedModel, days: number): ForecastPoint[] {
  const theory = forecast(model, Math.max(days, 1));
  let scale: number | null = null;
  return theory.slice(0, days).map((point, i) => {
    const measured = model.errorsAhead[i] ?? null;
    if (measured !== null) {
      scale = point.sd > 0 ? measured / point.sd : null;
      return { mean: point.mean, sd: measured };
    }
    return scale === null ? point : { mean: point.mean, sd: point.sd * scale };
  });
}

/** The normal quantiles of two-sided 80% and 95% intervals. */
export const Z80 = 1.2815515655446004;
export const Z95 = 1.959963984540054;

/** A day ahead: the median forecast and the bounds of its 80% and 95% prediction intervals. */
export interface Prediction {
  readonly value: number;
  readonly lower_80: number;
  readonly upper_80: number;
  readonly lower_95: number;
  readonly upper_95: number;
}

/**
 * Forecasts `days` days after daily values (oldest first, at least
 * MIN_HISTORY), on the log(1 + y) scale and back: the mean there is the median
 * here, and quantiles map to quantiles, so the intervals keep their coverage.
 */
export function predictDays(y: readonly number[], days: number): { model: FittedModel; predictions: Prediction[] } {
  const model = fitBest(y.map((v) => Math.log1p(Math.max(0, v))));
  const back = (x: number) => Math.max(0, Math.expm1(x));
  const predictions = forecastMeasured(model, days).map(({ mean, sd }) => ({
    value: back(mean),
    lower_80: back(mean - Z80 * sd),
    upper_80: back(mean + Z80 * sd),
    lower_95: back(mean - Z95 * sd),
    upper_95: back(mean + Z95 * sd),
  }));
  return { model, predictions };
}
