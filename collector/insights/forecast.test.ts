import { describe, expect, it } from 'vitest';
import { backtest, generatedSeries } from './backtest.ts';
import { type FittedModel, fitBest, fitModel, forecast, forecastMeasured, SEASON } from './forecast.ts';
import { normalRandom } from './random.ts';

const PATTERN = [10, 14, 13, 12, 9, -20, -38];

describe('the forecast', () => {
  it('continues a line plus a weekly pattern exactly', () => {
    const y = Array.from({ length: 70 }, (_, t) => 500 + 2.5 * (t + 1) + PATTERN[t % SEASON]!);
    const model = fitModel(y, true);
    expect(model.sigma).toBeLessThan(1e-9);
    const ahead = forecast(model, 30);
    for (const [i, point] of ahead.entries()) expect(point.mean).toBeCloseTo(500 + 2.5 * (70 + i + 1) + PATTERN[(70 + i) % SEASON]!, 6);
  });

  it('has, for h steps ahead, the variance of Hyndman et al. (2008) Table 6.1: checked by simulating the model itself', () => {
    // The model's own equations run forward from a known state with normal errors, 20,000 times (seed 7).
    const model: FittedModel = {
      name: 'ETS(A,A,A)',
      trend: true,
      alpha: 0.4,
      beta: 0.05,
      gamma: 0.2,
      sigma: 10,
      aic: 0,
      level: 100,
      slope: 1,
      season: PATTERN,
      fitted: [],
      errorsAhead: [],
    };
    const horizon = 21;
    const expected = forecast(model, horizon);
    const random = normalRandom(7);
    const squares = new Array<number>(horizon).fill(0);
    const runs = 20_000;
    for (let run = 0; run < runs; run++) {
      let level = model.level;
      let slope = model.slope;
      const season = [...model.season];
      for (let i = 0; i < horizon; i++) {
        const error = model.sigma * random();
        const y = level + slope + season[i % SEASON]! + error;
        squares[i]! += (y - expected[i]!.mean) ** 2;
        level += slope + model.alpha * error;
        slope += model.beta * error;
        season[i % SEASON]! += model.gamma * error;
      }
    }
    for (const [i, point] of expected.entries()) expect(Math.sqrt(squares[i]! / runs) / point.sd).toBeCloseTo(1, 1);
    // The closed forms at the table's special cases: one step ahead is σ; ETS(A,N,N) grows as 1 + (h−1)α².
    expect(expected[0]!.sd).toBeCloseTo(10, 12);
    const simple = forecast({ ...model, beta: 0, gamma: 0 }, 5);
    expect(simple[4]!.sd).toBeCloseTo(10 * Math.sqrt(1 + 4 * 0.4 ** 2), 12);
  });

  it('recovers the smoothing of a series drawn from the model, and prefers no trend where there is none', () => {
    const random = normalRandom(11);
    const flat: number[] = [];
    let level = 1000;
    const season = [...PATTERN];
    for (let t = 0; t < 400; t++) {
      const error = 15 * random();
      flat.push(level + season[t % SEASON]! + error);
      level += 0.3 * error;
      season[t % SEASON]! += 0.1 * error;
    }
    const model = fitBest(flat);
    expect(model.name).toBe('ETS(A,N,A)');
    expect(model.alpha).toBeGreaterThan(0.15);
    expect(model.alpha).toBeLessThan(0.45);
    expect(model.sigma).toBeGreaterThan(13);
    expect(model.sigma).toBeLessThan(17);
  });

  it('spreads its intervals by its own in-sample errors h days ahead, and by the equations where too few origins measure them', () => {
    const y = generatedSeries(120, normalRandom(9)).map((v) => Math.log1p(v));
    const model = fitModel(y, true);
    // One day ahead: the one-step errors after the first two weeks.
    let squares = 0;
    for (let t = 2 * SEASON; t < y.length; t++) squares += (y[t]! - model.fitted[t]!) ** 2;
    expect(model.errorsAhead[0]).toBeCloseTo(Math.sqrt(squares / (y.length - 2 * SEASON)), 12);
    const ahead = forecastMeasured(model, 90);
    expect(ahead[0]!.sd).toBe(model.errorsAhead[0]);
    // 120 days leave 28 origins for at most 120 − 14 − 28 + 1 = 79 days ahead; past them, the equations' growth.
    expect(model.errorsAhead[78]).not.toBeNull();
    expect(model.errorsAhead[79]).toBeNull();
    const theory = forecast(model, 90);
    expect(ahead[89]!.sd / ahead[78]!.sd).toBeCloseTo(theory[89]!.sd / theory[78]!.sd, 12);
    // Too short for any: the equations alone.
    const short = fitModel(y.slice(0, 30), true);
    expect(forecastMeasured(short, 10)).toEqual(forecast(short, 10));
  });

  it('refuses fewer days than it needs', () => {
    expect(() => fitModel([1, 2, 3], false)).toThrow(RangeError);
  });
});

describe('the backtest', () => {
  it('beats the seasonal-naive forecast at 7 and 28 days on a series with a trend, a weekly pattern and noise, its 80% interval covering 70–90%', () => {
    // Seed 42 is the bench's series.
    for (const seed of [1, 2, 3, 42]) {
      const y = generatedSeries(365, normalRandom(seed));
      for (const horizon of [7, 28]) {
        const result = backtest(y, horizon, 12);
        expect(result.origins, `seed ${seed}`).toBe(12);
        expect(result.relative, `seed ${seed}, ${horizon} days`).toBeLessThan(1);
        expect(result.coverage80, `seed ${seed}, ${horizon} days`).toBeGreaterThanOrEqual(0.7);
        expect(result.coverage80, `seed ${seed}, ${horizon} days`).toBeLessThanOrEqual(0.9);
      }
    }
  });
});
