import { expect, it } from 'vitest';
import { twoProportionTest, upperTail, wilson } from './significance.ts';

it('has the normal tail of the tables', () => {
  expect(upperTail(0)).toBeCloseTo(0.5, 7);
  expect(upperTail(1.959964)).toBeCloseTo(0.025, 6);
  expect(upperTail(2.575829)).toBeCloseTo(0.005, 6);
  expect(upperTail(-1.644854)).toBeCloseTo(0.95, 6);
});

it('tests two proportions as the textbook does', () => {
  // 45 of 200 against 30 of 200: pooled 0.1875, z = 0.075 / sqrt(0.1875 · 0.8125 · 0.01) = 1.9215, p = 0.0547.
  const { z, p } = twoProportionTest(45, 200, 30, 200);
  expect(z).toBeCloseTo(1.9215, 3);
  expect(p).toBeCloseTo(0.0547, 3);
  expect(twoProportionTest(0, 0, 3, 10)).toEqual({ z: 0, p: 1 });
});

it("gives Wilson's interval (Newcombe 1998: 81 of 263 is 0.2553–0.3662)", () => {
  const [low, high] = wilson(81, 263);
  expect(low).toBeCloseTo(0.2553, 4);
  expect(high).toBeCloseTo(0.3662, 4);
  expect(wilson(0, 10)[0]).toBe(0);
});
