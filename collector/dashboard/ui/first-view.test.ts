import { describe, expect, it } from 'vitest';
import { firstPeriod, leavesPeriodOpen } from './first-view.ts';
import { DEFAULT_PERIOD } from './state.ts';

describe("the dashboard's first view", () => {
  it("shows a new site's first day by the hour, its first week by the day, and an older site's 30 days", () => {
    expect(firstPeriod('2026-11-23', '2026-11-23')).toBe('day');
    expect(firstPeriod('2026-11-22', '2026-11-23')).toBe('7d');
    expect(firstPeriod('2026-11-17', '2026-11-23')).toBe('7d');
    expect(firstPeriod('2026-11-16', '2026-11-23')).toBe(DEFAULT_PERIOD);
    expect(firstPeriod(undefined, '2026-11-23')).toBe(DEFAULT_PERIOD);
  });

  it('is chosen only when the address names no period, range or day', () => {
    expect(leavesPeriodOpen('?site=shop')).toBe(true);
    expect(leavesPeriodOpen('')).toBe(true);
    expect(leavesPeriodOpen('?site=shop&period=30d')).toBe(false);
    expect(leavesPeriodOpen('?site=shop&from=2026-11-01&to=2026-11-02')).toBe(false);
    expect(leavesPeriodOpen('?site=shop&date=2026-11-01')).toBe(false);
  });
});
