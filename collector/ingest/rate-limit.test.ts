import { describe, expect, it } from 'vitest';
import { createRateLimiter, parseRateLimit } from './rate-limit.ts';

describe('parseRateLimit', () => {
  const fallback = { requests: 5, windowMs: 1000 };
  it.each([
    [undefined, fallback],
    ['', fallback],
    ['off', null],
    ['0', null],
    ['600', { requests: 600, windowMs: 60_000 }],
    ['600/1m', { requests: 600, windowMs: 60_000 }],
    ['100/10s', { requests: 100, windowMs: 10_000 }],
    ['5000 / h', { requests: 5000, windowMs: 3_600_000 }],
  ])('reads %s', (value, limit) => {
    expect(parseRateLimit(value, fallback)).toEqual(limit);
  });

  it.each(['lots', '10/fortnight', '10/0s', '-5'])('refuses %s', (value) => {
    expect(() => parseRateLimit(value, fallback)).toThrow();
  });
});

describe('createRateLimiter', () => {
  it('lets a client make its allowance, then says how long to wait', () => {
    let t = 1_000_000;
    const limited = createRateLimiter({ requests: 3, windowMs: 10_000 }, () => t);
    expect([limited('a'), limited('a'), limited('a')]).toEqual([0, 0, 0]);
    t += 4000;
    expect(limited('a')).toBe(6);
    expect(limited('b')).toBe(0); // clients are counted apart
  });

  it('slides: the previous window counts for the part still covered', () => {
    let t = 0;
    const limited = createRateLimiter({ requests: 4, windowMs: 10_000 }, () => t);
    for (let i = 0; i < 4; i++) expect(limited('a')).toBe(0);
    t = 12_500; // 75% of the previous window still counts: 3 of 4 used
    expect(limited('a')).toBe(0);
    expect(limited('a')).toBeGreaterThan(0);
    t = 25_000; // two windows on, the slate is clean
    for (let i = 0; i < 4; i++) expect(limited('a')).toBe(0);
  });
});
