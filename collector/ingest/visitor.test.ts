import { describe, expect, it } from 'vitest';
import { createVisitorIds } from './visitor.ts';

const DAY1 = Date.parse('2026-11-23T10:00:00Z');
const DAY2 = Date.parse('2026-11-24T10:00:00Z');
const facts = { siteId: 's1', ip: '198.51.100.4', userAgent: 'Mozilla/5.0 Test' };

describe('createVisitorIds', () => {
  it('is stable within a day, and differs by site, IP and User-Agent', async () => {
    const id = createVisitorIds(async (day) => `salt-${day}`);
    const a = await id(facts, DAY1);
    expect(await id(facts, DAY1 + 3_600_000)).toBe(a);
    expect(await id({ ...facts, siteId: 's2' }, DAY1)).not.toBe(a);
    expect(await id({ ...facts, ip: '198.51.100.5' }, DAY1)).not.toBe(a);
    expect(await id({ ...facts, userAgent: 'Other' }, DAY1)).not.toBe(a);
  });

  it('changes with the daily salt and never contains the IP', async () => {
    const days: string[] = [];
    const id = createVisitorIds(async (day) => {
      days.push(day);
      return `salt-${day}`;
    });
    const a = await id(facts, DAY1);
    const b = await id(facts, DAY2);
    expect(a).not.toBe(b);
    expect(days).toEqual(['2026-11-23', '2026-11-24']);
    expect(a).not.toContain('198');
  });

  it('uses the site user id when one is sent', async () => {
    const id = createVisitorIds(async () => 'salt');
    expect(await id({ ...facts, userId: 'user-42' }, DAY1)).toBe('u:user-42');
  });
});
