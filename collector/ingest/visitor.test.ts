import { describe, expect, it } from 'vitest';
import { createVisitorIds } from './visitor.ts';

const DAY1 = Date.parse('2026-11-23T10:00:00Z');
const DAY2 = Date.parse('2026-11-24T10:00:00Z');
const facts = { siteId: 's1', timeZone: 'UTC', ip: '198.51.100.4', userAgent: 'Mozilla/5.0 Test' };

describe('createVisitorIds', () => {
  it('is stable within a day, and differs by site, IP and User-Agent', async () => {
    const ids = createVisitorIds(async (day) => `salt-${day}`);
    const { visitorId: a } = await ids(facts, DAY1);
    expect((await ids(facts, DAY1 + 3_600_000)).visitorId).toBe(a);
    expect((await ids({ ...facts, siteId: 's2' }, DAY1)).visitorId).not.toBe(a);
    expect((await ids({ ...facts, ip: '198.51.100.5' }, DAY1)).visitorId).not.toBe(a);
    expect((await ids({ ...facts, userAgent: 'Other' }, DAY1)).visitorId).not.toBe(a);
  });

  it('changes with the daily salt and never contains the IP', async () => {
    const days: string[] = [];
    const ids = createVisitorIds(async (day) => {
      days.push(day);
      return `salt-${day}`;
    });
    const a = await ids(facts, DAY1);
    const b = await ids(facts, DAY2);
    expect(a.visitorId).not.toBe(b.visitorId);
    expect(days).toEqual(['2026-11-23', '2026-11-24']);
    expect(a.visitorId).not.toContain('198');
  });

  it("rotates at the site's own midnight", async () => {
    const ids = createVisitorIds(async (day) => `salt-${day}`);
    const berlin = { ...facts, timeZone: 'Europe/Berlin' };
    // 22:30 and 23:30 UTC on the 23rd are 23:30 on the 23rd and 00:30 on the 24th in Berlin.
    const before = await ids(berlin, Date.parse('2026-11-23T22:30:00Z'));
    const after = await ids(berlin, Date.parse('2026-11-23T23:30:00Z'));
    expect(after.visitorId).not.toBe(before.visitorId);
    expect((await ids(facts, Date.parse('2026-11-23T23:30:00Z'))).visitorId).toBe(
      (await ids(facts, Date.parse('2026-11-23T10:00:00Z'))).visitorId,
    );
  });

  it("gives yesterday's id as well in the first 30 minutes of a day, and only then", async () => {
    const ids = createVisitorIds(async (day) => `salt-${day}`);
    const lateYesterday = await ids(facts, Date.parse('2026-11-23T23:55:00Z'));
    const justAfter = await ids(facts, Date.parse('2026-11-24T00:10:00Z'));
    const later = await ids(facts, Date.parse('2026-11-24T00:30:00Z'));
    expect(lateYesterday.previousVisitorId).toBeNull();
    expect(justAfter.visitorId).not.toBe(lateYesterday.visitorId);
    expect(justAfter.previousVisitorId).toBe(lateYesterday.visitorId);
    expect(later.previousVisitorId).toBeNull();
  });

  it("asks for each day's salt once, and forgets salts more than two days old", async () => {
    const asked: string[] = [];
    const ids = createVisitorIds(async (day) => {
      asked.push(day);
      return `salt-${day}`;
    });
    await ids(facts, DAY1);
    await ids(facts, DAY1 + 60_000);
    await ids(facts, DAY1 + 3 * 86_400_000);
    await ids(facts, DAY1);
    expect(asked).toEqual(['2026-11-23', '2026-11-26', '2026-11-23']);
  });

  it('uses the site user id when one is sent', async () => {
    const ids = createVisitorIds(async () => 'salt');
    expect(await ids({ ...facts, userId: 'user-42' }, DAY1)).toEqual({ visitorId: 'u:user-42', previousVisitorId: null });
  });
});
