import { describe, expect, it } from 'vitest';
import {
  formatBucket,
  formatBucketLong,
  formatChange,
  formatDateRange,
  formatDecimal,
  formatDuration,
  formatMoney,
  formatNumber,
  formatPercent,
  formatShare,
} from './format.ts';

describe('formatNumber', () => {
  it.each([
    [0, '0'],
    [7, '7'],
    [950, '950'],
    [999, '999'],
    [1000, '1k'],
    [1234, '1.2k'],
    [1250, '1.3k'],
    [12_345, '12.3k'],
    [123_456, '123k'],
    [999_499, '999k'],
    [999_960, '1M'],
    [4_500_000, '4.5M'],
    [2_000_000_000, '2B'],
    [-1500, '-1.5k'],
    [2.5, '2.5'],
    // Halves of the decimal value round away from zero, whatever the binary float holds.
    [1150, '1.2k'],
    [-1150, '-1.2k'],
    [2.675, '2.68'],
    [1.005, '1.01'],
  ])('%d reads as %s', (n, text) => {
    expect(formatNumber(n)).toBe(text);
  });

  it('shows an em dash for a missing value', () => {
    expect(formatNumber(null)).toBe('—');
    expect(formatNumber(undefined)).toBe('—');
    expect(formatNumber(Number.NaN)).toBe('—');
  });
});

describe('formatDuration', () => {
  it.each([
    [0, '0s'],
    [45, '45s'],
    [59.6, '1m 0s'],
    [200, '3m 20s'],
    [3600, '1h 0m'],
    [3900, '1h 5m'],
    [2 * 86_400 + 3 * 3600 + 17, '2d 3h'],
    [-5, '0s'],
  ])('%d seconds read as %s', (s, text) => {
    expect(formatDuration(s)).toBe(text);
  });
});

describe('formatPercent and formatDecimal', () => {
  it('rounds percentages, keeping a decimal under 10', () => {
    expect(formatPercent(45.3)).toBe('45%');
    expect(formatPercent(45.5)).toBe('46%');
    expect(formatPercent(4.53)).toBe('4.5%');
    expect(formatPercent(4)).toBe('4%');
    expect(formatPercent(0)).toBe('0%');
    expect(formatPercent(100)).toBe('100%');
    expect(formatPercent(null)).toBe('—');
  });

  it('rounds halves away from zero, on the decimal value', () => {
    expect(formatPercent(1.15)).toBe('1.2%');
    expect(formatPercent(-12.5)).toBe('-13%');
    expect(formatDecimal(1.025)).toBe('1.03');
    expect(formatDecimal(2.675)).toBe('2.68');
    expect(formatDuration(0.5)).toBe('1s');
    // A share is rounded once, from the exact ratio: 249 of 2000 is 12.45%, which reads 12%, not 13%.
    expect(formatShare(249, 2000)).toBe('12%');
    expect(formatShare(1, 80)).toBe('1.3%');
    expect(formatShare(1, 8)).toBe('13%');
  });

  it('keeps at most two decimals of a ratio', () => {
    expect(formatDecimal(2.3456)).toBe('2.35');
    expect(formatDecimal(1.5)).toBe('1.5');
    expect(formatDecimal(3)).toBe('3');
  });
});

describe('formatMoney', () => {
  it('formats each currency, the largest first', () => {
    expect(formatMoney({ EUR: 29.5 }, 'en-GB')).toBe('€29.50');
    expect(formatMoney({ USD: 10, EUR: 29.5 }, 'en-US')).toBe('€29.50 · $10.00');
  });

  it('shows an em dash without revenue, and survives an unknown code', () => {
    expect(formatMoney({})).toBe('—');
    expect(formatMoney(null)).toBe('—');
    expect(formatMoney({ XYZW: 3 }, 'en-US')).toBe('3.00 XYZW');
    expect(formatMoney({ XYZW: 2.675 }, 'en-US')).toBe('2.68 XYZW');
    expect(formatMoney({ EUR: 2.675 }, 'en-GB')).toBe('€2.68');
  });
});

describe('formatChange', () => {
  it('says the direction and the size', () => {
    expect(formatChange(12.5)).toEqual({ text: '↑ 13%', direction: 'up' });
    expect(formatChange(-4.54)).toEqual({ text: '↓ 4.5%', direction: 'down' });
    expect(formatChange(0.01)).toEqual({ text: '0%', direction: 'flat' });
    expect(formatChange(null)).toEqual({ text: '—', direction: 'none' });
  });

  it("rounds negative halves away from zero, and writes a rate's change in percentage points", () => {
    expect(formatChange(-12.5)).toEqual({ text: '↓ 13%', direction: 'down' });
    expect(formatChange(-1.15)).toEqual({ text: '↓ 1.2%', direction: 'down' });
    expect(formatChange(2.5, 'points')).toEqual({ text: '↑ 2.5 pp', direction: 'up' });
    expect(formatChange(-47.5, 'points')).toEqual({ text: '↓ 48 pp', direction: 'down' });
    expect(formatChange(0.04, 'points')).toEqual({ text: '0 pp', direction: 'flat' });
  });
});

describe('dates', () => {
  it('labels buckets by their interval, as wall-clock times', () => {
    expect(formatBucket('2026-11-23T14:00', 'hour', 'en-GB')).toBe('14:00');
    expect(formatBucket('2026-11-23', 'day', 'en-GB')).toBe('23 Nov');
    expect(formatBucket('2026-11-01', 'month', 'en-GB')).toBe('Nov 2026');
    expect(formatBucketLong('2026-11-23T00:00', 'hour', 'en-GB')).toBe('Mon, 23 Nov 2026, 00:00');
    expect(formatBucketLong('2026-11-23', 'week', 'en-GB')).toBe('Week of Mon, 23 Nov 2026');
    expect(formatBucket('garbage', 'day')).toBe('garbage');
  });

  it('writes ranges without repeating what they share', () => {
    // ICU puts thin spaces around the dash.
    const range = (from: string, to: string) => formatDateRange(from, to, 'en-GB').replace(/\s/g, ' ');
    expect(range('2026-11-23', '2026-11-23')).toBe('23 Nov 2026');
    expect(range('2026-11-01', '2026-11-30')).toBe('1 – 30 Nov 2026');
    expect(range('2026-10-25', '2026-11-23')).toBe('25 Oct – 23 Nov 2026');
    expect(range('2025-12-28', '2026-01-03')).toBe('28 Dec 2025 – 3 Jan 2026');
  });
});
