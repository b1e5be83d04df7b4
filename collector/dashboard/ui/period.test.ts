import { describe, expect, it } from 'vitest';
import { chartInterval, describePeriod, expectedRange, intervalsFor, periodOptionLabel, shiftPeriod, todayIn } from './period.ts';
import { DEFAULT_STATE, type DashboardState } from './state.ts';

const today = '2026-11-23';
const state = (patch: Partial<DashboardState>): DashboardState => ({ ...DEFAULT_STATE, site: 's', ...patch });

describe('todayIn', () => {
  it('is the calendar day of the site, not of the browser', () => {
    const lateEvening = Date.parse('2026-11-23T23:30:00Z');
    expect(todayIn('UTC', lateEvening)).toBe('2026-11-23');
    expect(todayIn('Europe/Berlin', lateEvening)).toBe('2026-11-24');
    expect(todayIn('America/Los_Angeles', lateEvening)).toBe('2026-11-23');
    expect(todayIn('Not/AZone', lateEvening)).toBe('2026-11-23');
  });
});

describe('describePeriod', () => {
  it('names periods that end today, and dates those that do not', () => {
    expect(describePeriod(state({ period: 'day' }), null, today)).toBe('Today');
    expect(describePeriod(state({ period: 'day', date: '2026-11-22' }), null, today)).toBe('Yesterday');
    expect(describePeriod(state({ period: '7d' }), { from: '2026-11-17', to: today }, today)).toBe('Last 7 days');
    expect(describePeriod(state({ period: '7d', date: '2026-11-16' }), { from: '2026-11-10', to: '2026-11-16' }, today)).toBe(
      new Intl.DateTimeFormat(undefined, { timeZone: 'UTC', day: 'numeric', month: 'short', year: 'numeric' }).formatRange(
        Date.UTC(2026, 10, 10),
        Date.UTC(2026, 10, 16),
      ),
    );
    expect(describePeriod(state({ period: 'all' }), null, today)).toBe('All time');
  });
});

describe('shiftPeriod', () => {
  it('steps a rolling period by its own length', () => {
    const week = state({ period: '7d' });
    const back = shiftPeriod(week, { from: '2026-11-17', to: today }, -1, today);
    expect(back).toMatchObject({ period: '7d', date: '2026-11-16' });
    expect(shiftPeriod(back!, { from: '2026-11-10', to: '2026-11-16' }, 1, today)).toMatchObject({ date: null });
  });

  it('steps a day, and never into the future', () => {
    expect(shiftPeriod(state({ period: 'day' }), { from: today, to: today }, -1, today)).toMatchObject({ date: '2026-11-22' });
    expect(shiftPeriod(state({ period: 'day' }), { from: today, to: today }, 1, today)).toBeNull();
  });

  it('steps calendar months', () => {
    const november = state({ period: 'month' });
    expect(shiftPeriod(november, { from: '2026-11-01', to: '2026-11-30' }, -1, today)).toMatchObject({ date: '2026-10-31' });
    expect(shiftPeriod(november, { from: '2026-11-01', to: '2026-11-30' }, 1, today)).toBeNull();
    const october = state({ period: 'month', date: '2026-10-31' });
    expect(shiftPeriod(october, { from: '2026-10-01', to: '2026-10-31' }, 1, today)).toMatchObject({ date: '2026-11-01' });
  });

  it('moves a custom range by its length', () => {
    const custom = state({ period: 'custom', from: '2026-11-01', to: '2026-11-10' });
    expect(shiftPeriod(custom, { from: '2026-11-01', to: '2026-11-10' }, -1, today)).toMatchObject({
      from: '2026-10-22',
      to: '2026-10-31',
    });
    expect(shiftPeriod(custom, { from: '2026-11-01', to: '2026-11-10' }, 1, today)).toMatchObject({ from: '2026-11-11', to: '2026-11-20' });
  });

  it('does not step all time or multi-month periods', () => {
    expect(shiftPeriod(state({ period: 'all' }), { from: '2026-01-01', to: today }, -1, today)).toBeNull();
    expect(shiftPeriod(state({ period: '12mo' }), { from: '2025-12-01', to: today }, -1, today)).toBeNull();
  });
});

describe('intervals', () => {
  it('offers buckets that suit the range', () => {
    expect(intervalsFor({ from: today, to: today }, 'day')).toEqual(['hour']);
    expect(intervalsFor({ from: '2026-11-17', to: today }, '7d')).toEqual(['hour', 'day']);
    expect(intervalsFor({ from: '2026-10-25', to: today }, '30d')).toEqual(['day', 'week']);
    expect(intervalsFor(null, '12mo')).toEqual(['day', 'week', 'month']);
  });

  it('draws hourly for a day and daily otherwise, unless told', () => {
    expect(chartInterval(state({ period: 'day' }), { from: today, to: today })).toBe('hour');
    expect(chartInterval(state({ period: '30d' }), { from: '2026-10-25', to: today })).toBe('day');
    expect(chartInterval(state({ period: '30d', interval: 'week' }), { from: '2026-10-25', to: today })).toBe('week');
    expect(chartInterval(state({ period: '30d', interval: 'hour' }), { from: '2026-10-25', to: today })).toBe('day');
  });
});

describe('expectedRange and periodOptionLabel', () => {
  it('works out the days a period covers', () => {
    expect(expectedRange(state({ period: 'day' }), today)).toEqual({ from: today, to: today });
    expect(expectedRange(state({ period: '7d', date: '2026-11-16' }), today)).toEqual({ from: '2026-11-10', to: '2026-11-16' });
    expect(expectedRange(state({ period: '30d' }), today)).toEqual({ from: '2026-10-25', to: today });
    expect(expectedRange(state({ period: 'month', date: '2026-02-10' }), today)).toEqual({ from: '2026-02-01', to: '2026-02-28' });
    expect(expectedRange(state({ period: '12mo' }), today)).toEqual({ from: '2025-12-01', to: today });
    expect(expectedRange(state({ period: 'custom', from: '2026-01-01', to: '2026-01-05' }), today)).toEqual({
      from: '2026-01-01',
      to: '2026-01-05',
    });
    expect(expectedRange(state({ period: 'all' }), today)).toBeNull();
  });

  it('names a period by whether it ends today', () => {
    expect(periodOptionLabel('7d', false)).toBe('Last 7 days');
    expect(periodOptionLabel('7d', true)).toBe('7 days');
    expect(periodOptionLabel('day', false)).toBe('Today');
  });
});
