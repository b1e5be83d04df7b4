import { describe, expect, it } from 'vitest';
import { DAY_MS } from '../timezone.ts';
import { createVisitorIds, firstSaltDay, type SaltSource, type VisitorFacts } from './visitor.ts';

const DAY1 = Date.parse('2026-11-23T10:00:00Z');
const DAY2 = Date.parse('2026-11-24T10:00:00Z');
const facts = { siteId: 's1', timeZone: 'UTC', ip: '198.51.100.4', userAgent: 'Mozilla/5.0 Test' };

/** Ids of events sent live: each arrives at its own instant. */
const live = (getSalt: SaltSource) => {
  const ids = createVisitorIds(getSalt);
  return (f: VisitorFacts, ts: number) => ids(f, ts)(ts);
};

describe('createVisitorIds', () => {
  it('is stable within a day, and differs by site, IP and User-Agent', async () => {
    const ids = live(async (day) => `salt-${day}`);
    const { visitorId: a } = await ids(facts, DAY1);
    expect((await ids(facts, DAY1 + 3_600_000)).visitorId).toBe(a);
    expect((await ids({ ...facts, siteId: 's2' }, DAY1)).visitorId).not.toBe(a);
    expect((await ids({ ...facts, ip: '198.51.100.5' }, DAY1)).visitorId).not.toBe(a);
    expect((await ids({ ...facts, userAgent: 'Other' }, DAY1)).visitorId).not.toBe(a);
    // The events of one request (a tracker's batch) share their day's ids.
    const request = createVisitorIds(async (day) => `salt-${day}`)(facts, DAY1 + 7_200_000);
    expect(await request(DAY1)).toEqual({ visitorId: a, previousVisitorId: null });
    expect(await request(DAY1 + 3_600_000)).toEqual({ visitorId: a, previousVisitorId: null });
  });

  it('changes with the daily salt and never contains the IP', async () => {
    const days: string[] = [];
    const ids = live(async (day) => {
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
    const ids = live(async (day) => `salt-${day}`);
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
    const ids = live(async (day) => `salt-${day}`);
    const lateYesterday = await ids(facts, Date.parse('2026-11-23T23:55:00Z'));
    const justAfter = await ids(facts, Date.parse('2026-11-24T00:10:00Z'));
    const later = await ids(facts, Date.parse('2026-11-24T00:30:00Z'));
    expect(lateYesterday.previousVisitorId).toBeNull();
    expect(justAfter.visitorId).not.toBe(lateYesterday.visitorId);
    expect(justAfter.previousVisitorId).toBe(lateYesterday.visitorId);
    expect(later.previousVisitorId).toBeNull();
  });

  it('gives an event that arrives late the ids of the day it happened, as it had sent live', async () => {
    const sentLive = live(async (day) => `salt-${day}`);
    const ids = createVisitorIds(async (day) => `salt-${day}`);
    // Resent by the tracker after midnight, and a week less a minute later.
    for (const at of [Date.parse('2026-11-24T00:40:00Z'), Date.parse('2026-11-30T23:49:00Z')]) {
      const request = ids(facts, at);
      expect(await request(Date.parse('2026-11-23T23:50:00Z'))).toEqual(await sentLive(facts, Date.parse('2026-11-23T23:50:00Z')));
      expect(await request(Date.parse('2026-11-24T00:10:00Z'))).toEqual(await sentLive(facts, Date.parse('2026-11-24T00:10:00Z')));
      expect((await request(at)).visitorId).toBe((await sentLive(facts, at)).visitorId);
    }
  });

  it('hashes an event older than the salts kept under the salt of the day it arrives, and asks for no older salt', async () => {
    const asked: string[] = [];
    const ids = createVisitorIds(async (day) => {
      asked.push(day);
      return `salt-${day}`;
    });
    const at = Date.parse('2026-11-30T12:00:00Z');
    const request = ids(facts, at);
    // A server's backfill of a day three weeks before, in the first minutes of its day too.
    for (const ts of [Date.parse('2026-11-09T12:00:00Z'), Date.parse('2026-11-09T00:05:00Z')])
      expect(await request(ts)).toEqual({ visitorId: (await request(at)).visitorId, previousVisitorId: null });
    expect(asked).toEqual(['2026-11-30']);
    expect(firstSaltDay('UTC', at)).toBe('2026-11-22');
  });

  it('asks for each day’s salt once, and forgets the salts no accepted event needs', async () => {
    const asked: string[] = [];
    const ids = live(async (day) => {
      asked.push(day);
      return `salt-${day}`;
    });
    await ids(facts, DAY1);
    await ids(facts, DAY1 + 60_000);
    await ids(facts, DAY1 + 3 * DAY_MS);
    // Still kept: an event of the 23rd may come until the 30th.
    await ids(facts, DAY1);
    // On 2 December the oldest salt needed is the 24th's: the 23rd's is forgotten, the 26th's kept.
    await ids(facts, DAY1 + 9 * DAY_MS);
    await ids(facts, DAY1 + 3 * DAY_MS);
    await ids(facts, DAY1);
    expect(asked).toEqual(['2026-11-23', '2026-11-26', '2026-12-02', '2026-11-23']);
  });

  it('uses the site user id when one is sent', async () => {
    const ids = createVisitorIds(async () => 'salt');
    expect(await ids(facts, DAY1)(DAY1, 'user-42')).toEqual({ visitorId: 'u:user-42', previousVisitorId: null });
  });
});
