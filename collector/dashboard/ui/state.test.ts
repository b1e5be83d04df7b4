import { describe, expect, it } from 'vitest';
import { apiParams, DEFAULT_STATE, readState, updateState, writeState } from './state.ts';

describe('readState', () => {
  it('reads every part of a shared link', () => {
    expect(
      readState(
        '?site=shop&period=7d&date=2026-11-20&compare=year&filters=page%3D%3D%2Fa%3Bcountry!%3DDE&interval=hour&metric=bounce_rate&funnel=7&journey=%2Fpricing',
      ),
    ).toEqual({
      site: 'shop',
      period: '7d',
      date: '2026-11-20',
      from: null,
      to: null,
      compare: 'year',
      filters: [
        { dim: 'page', op: '==', value: '/a' },
        { dim: 'country', op: '!=', value: 'DE' },
      ],
      interval: 'hour',
      metric: 'bounce_rate',
      funnel: '7',
      journey: '/pricing',
    });
  });

  it('falls back to defaults for what it cannot read', () => {
    expect(readState('?site=<img>&period=weekly&date=2026-02-30&compare=yes&interval=minute&metric=money')).toEqual(DEFAULT_STATE);
    expect(readState('')).toEqual(DEFAULT_STATE);
  });

  it('reads a custom range, in either order, and only a whole one', () => {
    expect(readState('?period=custom&from=2026-11-20&to=2026-11-01')).toMatchObject({
      period: 'custom',
      from: '2026-11-01',
      to: '2026-11-20',
      date: null,
    });
    expect(readState('?from=2026-11-01&to=2026-11-20')).toMatchObject({ period: 'custom' });
    expect(readState('?period=custom&from=2026-11-01')).toMatchObject({ period: '30d', from: null, to: null });
  });

  it('never compares all time', () => {
    expect(readState('?period=all&compare=previous_period')).toMatchObject({ period: 'all', compare: null });
  });
});

describe('writeState', () => {
  it('round-trips through the URL, leaving defaults out', () => {
    const state = readState(
      '?site=shop&period=custom&from=2026-11-01&to=2026-11-20&compare=previous_period&filters=page%3D%3D%2Fa%3Bsource%3D%3D',
    );
    expect(writeState(state)).toBe(
      '?site=shop&period=custom&from=2026-11-01&to=2026-11-20&compare=previous_period&filters=page%3D%3D%2Fa%3Bsource%3D%3D',
    );
    expect(readState(writeState(state))).toEqual(state);
    expect(writeState(DEFAULT_STATE)).toBe('');
  });
});

describe('apiParams', () => {
  const state = readState('?site=shop&period=7d&date=2026-11-20&compare=previous_period&filters=page%3D%3D%2Fa');

  it('asks the API for the same range, filters and comparison', () => {
    expect(Object.fromEntries(apiParams(state))).toEqual({
      site_id: 'shop',
      period: '7d',
      date: '2026-11-20',
      filters: 'page==/a',
      compare: 'previous_period',
    });
  });

  it('leaves out the comparison or the filters when asked', () => {
    expect(Object.fromEntries(apiParams(state, { compare: false, filters: false }))).toEqual({
      site_id: 'shop',
      period: '7d',
      date: '2026-11-20',
    });
  });

  it('sends a custom range as from and to', () => {
    expect(Object.fromEntries(apiParams(readState('?site=s&from=2026-11-01&to=2026-11-02')))).toEqual({
      site_id: 's',
      from: '2026-11-01',
      to: '2026-11-02',
    });
  });
});

describe('updateState', () => {
  it('keeps the state consistent', () => {
    const custom = updateState(DEFAULT_STATE, { period: 'custom', from: '2026-11-01', to: '2026-11-02', date: '2026-11-05' });
    expect(custom).toMatchObject({ date: null, from: '2026-11-01', to: '2026-11-02' });
    expect(updateState(custom, { period: '7d' })).toMatchObject({ from: null, to: null });
    expect(updateState({ ...DEFAULT_STATE, compare: 'year', date: '2026-11-01' }, { period: 'all' })).toMatchObject({
      compare: null,
      date: null,
    });
  });

  it('drops the chosen interval when the span changes, not when stepping', () => {
    const hourly = { ...DEFAULT_STATE, period: '7d' as const, interval: 'hour' as const };
    expect(updateState(hourly, { period: '12mo' }).interval).toBeNull();
    expect(updateState(hourly, { date: '2026-11-01' }).interval).toBe('hour');
  });
});
