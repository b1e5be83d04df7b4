import { describe, expect, it } from 'vitest';
import { addDays, isValidTimeZone, localDate, startOfLocalDay, zonedTime, zoneOffset } from './time-zones.ts';

describe('timezone', () => {
  it('knows real zones from made-up ones', () => {
    expect(isValidTimeZone('Europe/Berlin')).toBe(true);
    expect(isValidTimeZone('UTC')).toBe(true);
    expect(isValidTimeZone('Mars/Olympus_Mons')).toBe(false);
  });

  it('gives the local date of an instant', () => {
    const t = Date.parse('2026-11-23T23:30:00Z');
    expect(localDate(t, 'UTC')).toBe('2026-11-23');
    expect(localDate(t, 'Europe/Berlin')).toBe('2026-11-24');
    expect(localDate(t, 'America/New_York')).toBe('2026-11-23');
    expect(localDate(Date.parse('2026-11-23T20:00:00Z'), 'Asia/Kolkata')).toBe('2026-11-24');
  });

  it('finds local midnight, also on DST change days', () => {
    expect(startOfLocalDay('2026-11-23', 'UTC')).toBe(Date.parse('2026-11-23T00:00:00Z'));
    expect(startOfLocalDay('2026-11-23', 'Europe/Berlin')).toBe(Date.parse('2026-11-22T23:00:00Z'));
    expect(startOfLocalDay('2026-07-01', 'Europe/Berlin')).toBe(Date.parse('2026-06-30T22:00:00Z'));
    expect(startOfLocalDay('2026-03-29', 'Europe/Berlin')).toBe(Date.parse('2026-03-28T23:00:00Z'));
    expect(startOfLocalDay('2026-03-30', 'Europe/Berlin')).toBe(Date.parse('2026-03-29T22:00:00Z'));
    expect(startOfLocalDay('2026-11-23', 'Asia/Kolkata')).toBe(Date.parse('2026-11-22T18:30:00Z'));
    // São Paulo once moved clocks at midnight: 2018-11-04 began at 01:00.
    expect(startOfLocalDay('2018-11-04', 'America/Sao_Paulo')).toBe(Date.parse('2018-11-04T03:00:00Z'));
  });

  it('maps wall-clock hours to instants', () => {
    expect(zonedTime('2026-03-29', 'Europe/Berlin', 3)).toBe(Date.parse('2026-03-29T01:00:00Z'));
    expect(zonedTime('2026-03-29', 'Europe/Berlin', 2)).toBe(Date.parse('2026-03-29T01:00:00Z')); // 02:00 does not exist
    expect(zoneOffset(Date.parse('2026-07-01T12:00:00Z'), 'Europe/Berlin')).toBe(7_200_000);
  });

  it('adds calendar days across months and years', () => {
    expect(addDays('2026-12-31', 1)).toBe('2027-01-01');
    expect(addDays('2026-03-01', -1)).toBe('2026-02-28');
  });
});
