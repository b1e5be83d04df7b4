import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decimalRatio, round, roundRatio } from './rounding.ts';

describe('rounding half away from zero, on the decimal value', () => {
  it.each([
    [1.025, 2, 1.03],
    [2.675, 2, 2.68],
    [0.125, 2, 0.13],
    [1.005, 2, 1.01],
    [1.0049, 2, 1],
    [-1.025, 2, -1.03],
    [-2.5, 0, -3],
    [2.5, 0, 3],
    [-0.05, 1, -0.1],
    [-0.04, 1, 0],
    [33.35, 1, 33.4],
    [1e-7, 2, 0],
    [123456789.125, 2, 123456789.13],
  ])('%d to %d places is %d', (value, decimals, expected) => {
    expect(Object.is(round(value, decimals), expected)).toBe(true);
  });

  it('rounds ratios exactly: 82 / 80 is 1.03, 41 / 40 percent is 102.5', () => {
    expect(roundRatio(82, 80, 2)).toBe(1.03);
    expect(roundRatio(41 * 100, 40, 1)).toBe(102.5);
    expect(roundRatio(41 * 100, 40, 0)).toBe(103);
    expect(roundRatio(1, 8, 2)).toBe(0.13);
    expect(roundRatio(-1, 8, 2)).toBe(-0.13);
    expect(roundRatio(1, -8, 2)).toBe(-0.13);
    expect(roundRatio(5, 0, 1)).toBe(0);
    expect(Object.is(roundRatio(-1, 1000, 2), 0)).toBe(true);
  });

  it('reads numbers as decimals', () => {
    expect(decimalRatio(1.025)).toEqual([1025n, 1000n]);
    expect(decimalRatio(-3)).toEqual([-3n, 1n]);
    expect(decimalRatio(1e21)).toEqual([10n ** 21n, 1n]);
    expect(decimalRatio(1.5e-7)).toEqual([15n, 10n ** 8n]);
  });

  /** Holds when `result` is `n / d` rounded half away from zero to `k` places, checked on exact rationals. */
  function isRounded(result: number, n: bigint, d: bigint, k: number): boolean {
    const [rn, rd] = decimalRatio(result);
    const unit = 10n ** BigInt(k);
    // result * 10^k is a whole number
    if ((rn * unit) % rd !== 0n) return false;
    // |result - n/d| = |rn*d - n*rd| / (rd*d), compared with 1 / (2 * 10^k)
    const gap = (rn * d - n * rd) * (d < 0n ? -1n : 1n);
    const distance2 = (gap < 0n ? -gap : gap) * 2n * unit;
    const bound = rd * (d < 0n ? -d : d);
    if (distance2 > bound) return false;
    // At an exact half, the result lies further from zero than the value.
    if (distance2 === bound) return (rn < 0n ? -rn : rn) * (d < 0n ? -d : d) > (n < 0n ? -n : n) * rd;
    return true;
  }

  it('agrees with exact rational arithmetic (property)', () => {
    fc.assert(
      fc.property(
        fc.bigInt({ min: -(10n ** 12n), max: 10n ** 12n }),
        fc.bigInt({ min: -(10n ** 6n), max: 10n ** 6n }).filter((d) => d !== 0n),
        fc.integer({ min: 0, max: 3 }),
        (n, d, k) => {
          expect(isRounded(roundRatio(n, d, k), n, d, k)).toBe(true);
        },
      ),
      { numRuns: 2000 },
    );
  });

  it('rounds every short decimal as written (property), halves included', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: -(10 ** 9), max: 10 ** 9 }),
        fc.integer({ min: 0, max: 6 }),
        fc.integer({ min: 0, max: 3 }),
        (m, scale, k) => {
          const value = Number(`${m}e-${scale}`);
          expect(isRounded(round(value, k), BigInt(m), 10n ** BigInt(scale), k)).toBe(true);
        },
      ),
      { numRuns: 2000 },
    );
  });
});
