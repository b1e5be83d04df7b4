import { afterEach, beforeEach, expect, it } from 'vitest';
import type { StoredEvent } from '../store/schema.ts';
import { rebuildRollups } from '../store/store.ts';
import { describeEachStore, type TestDatabase } from '../../testing/test-stores.ts';
import type { TestCollector } from '../../testing/test-collector.ts';
import {
  ask,
  type Clock,
  handEvent,
  modelEventsOf,
  openCollector,
  readStored,
  sendEvent,
  timeZoneOf,
} from '../../testing/invariance-harness.ts';
import type { SentEvent } from '../../testing/invariance-scenario.ts';
import { createReferenceModel } from '../../testing/reference-model.ts';

// Small cases of each way answers have gone wrong, with numbers worked out by
// hand, held to the reference model (testing/reference-model.ts): the hand
// numbers check the model, the model checks the collector.

/** What the cases read of an answer (the stats API's JSON). */
interface Answer {
  readonly metrics?: Record<string, unknown>;
  readonly comparison?: { readonly change: Record<string, unknown> };
  readonly results?: readonly Record<string, unknown>[];
}

describeEachStore('counting cases, against the reference model', (kind) => {
  const clock: Clock = { now: Date.parse('2026-01-01T00:00:00Z') };
  let database: TestDatabase;
  let t: TestCollector;
  let sent: SentEvent[];
  beforeEach(async () => {
    sent = [];
    database = await kind.createDatabase();
  });
  afterEach(async () => {
    await t.close();
    await database.drop();
  });
  const start = async (env: Record<string, string> = {}, at = '2026-01-01T00:00:00Z') => {
    clock.now = Date.parse(at);
    t = await openCollector(kind, database, clock, env);
  };
  /** Sends events as they happen, then writes them (one batch). */
  const deliver = async (...events: SentEvent[]) => {
    for (const e of events) await sendEvent(t, clock, e);
    sent.push(...events);
    await t.flush();
  };
  /** What the model answers for the stored events (or those stored at an earlier moment), and what the collector answers. */
  const answers = async (path: string, options: { body?: Record<string, unknown>; stored?: Map<string, StoredEvent> } = {}) => {
    const model = createReferenceModel(modelEventsOf(options.stored ?? (await readStored(t)), sent), { timeZoneOf });
    const expected = JSON.parse(JSON.stringify(model.answer(path, options.body))) as Answer;
    return { expected, actual: (await ask(t, { path, ...(options.body ? { body: options.body } : {}) })) as Answer };
  };
  const view = (tag: string, who: string, at: string, path = '/', options: { cookieless?: boolean; site?: string } = {}) =>
    handEvent(tag, options.site ?? 'utc', who, at, { url: `https://${options.site ?? 'utc'}.example${path}` }, options);

  it('A: a late page view between two visits joins them into one, and a rebuild keeps them one', async () => {
    await start();
    await deliver(view('a1', 'alice', '2026-03-10T10:00:00Z'), view('a2', 'alice', '2026-03-10T10:40:00Z', '/b'));
    await deliver(view('a3', 'alice', '2026-03-10T10:20:00Z', '/c'));
    const { expected, actual } = await answers('/stats?site_id=utc&date=2026-03-10');
    expect(expected.metrics).toEqual({
      pageviews: 3,
      visitors: 1,
      visits: 1,
      bounce_rate: 0,
      visit_duration: 2400,
      views_per_visit: 3,
      events: 0,
      revenue: {},
    });
    expect(actual).toEqual(expected);
    const exits = await answers('/stats/breakdown?site_id=utc&date=2026-03-10&by=exit_page');
    expect(exits.expected.results).toEqual([
      { value: '/b', visitors: 1, visits: 1, pageviews: 3, events: 0, bounce_rate: 0, visit_duration: 2400 },
    ]);
    expect(exits.actual).toEqual(exits.expected);
    await rebuildRollups(t.store);
    expect(await ask(t, { path: '/stats?site_id=utc&date=2026-03-10' })).toEqual(expected);
  });

  it('A: a late event inside a visit splits nothing', async () => {
    await start();
    await deliver(view('a1', 'alice', '2026-03-10T10:00:00Z'), view('a2', 'alice', '2026-03-10T10:20:00Z', '/b'));
    await deliver(view('a3', 'alice', '2026-03-10T10:10:00Z', '/c'));
    const { expected, actual } = await answers('/stats?site_id=utc&date=2026-03-10');
    expect(expected.metrics).toMatchObject({ visits: 1, bounce_rate: 0, visit_duration: 1200, views_per_visit: 3 });
    expect(actual).toEqual(expected);
  });

  it('E: a late event before midnight joins the visit that went on past it (a cookieless visitor)', async () => {
    await start({}, '2026-03-09T23:00:00Z');
    // 23:50 and 00:20 in order: one visit across midnight (the new day's id linked to the old one's).
    await deliver(view('b1', 'bob', '2026-03-09T23:50:00Z', '/', { cookieless: true }));
    await deliver(view('b2', 'bob', '2026-03-10T00:20:00Z', '/b', { cookieless: true }));
    // 23:55, late: five minutes after the visit's first event.
    await deliver(view('b3', 'bob', '2026-03-09T23:55:00Z', '/c', { cookieless: true }));
    const both = await answers('/stats?site_id=utc&from=2026-03-09&to=2026-03-10');
    expect(both.expected.metrics).toMatchObject({ pageviews: 3, visitors: 2, visits: 1, bounce_rate: 0, visit_duration: 1800 });
    expect(both.actual).toEqual(both.expected);
  });

  it('E: a late event before midnight joins the visit that began after it (a cookieless visitor)', async () => {
    await start({}, '2026-03-10T00:00:00Z');
    await deliver(view('b1', 'bob', '2026-03-10T00:10:00Z', '/b', { cookieless: true }));
    await deliver(view('b2', 'bob', '2026-03-09T23:50:00Z', '/', { cookieless: true }));
    const first = await answers('/stats?site_id=utc&date=2026-03-09');
    expect(first.expected.metrics).toMatchObject({ pageviews: 1, visitors: 1, visits: 1, bounce_rate: 0, visit_duration: 1200 });
    expect(first.actual).toEqual(first.expected);
    const second = await answers('/stats?site_id=utc&date=2026-03-10');
    expect(second.expected.metrics).toMatchObject({ pageviews: 1, visitors: 1, visits: 0 });
    expect(second.actual).toEqual(second.expected);
  });

  it('a rebuild keeps a cookieless visit that went on past midnight one visit', async () => {
    await start({}, '2026-03-09T23:00:00Z');
    await deliver(view('b1', 'bob', '2026-03-09T23:50:00Z', '/', { cookieless: true }));
    await deliver(view('b2', 'bob', '2026-03-10T00:10:00Z', '/b', { cookieless: true }));
    const { expected, actual } = await answers('/stats?site_id=utc&from=2026-03-09&to=2026-03-10');
    expect(expected.metrics).toMatchObject({ visitors: 2, visits: 1, visit_duration: 1200, bounce_rate: 0 });
    expect(actual).toEqual(expected);
    await rebuildRollups(t.store);
    expect(await ask(t, { path: '/stats?site_id=utc&from=2026-03-09&to=2026-03-10' })).toEqual(expected);
  });

  it('a beacon the tracker resends after midnight counts its visitor as the live ones did', async () => {
    await start({}, '2026-03-09T23:40:00Z');
    const beacon = async (path: string, age: number) => {
      const res = await t.app.request('/events', {
        method: 'POST',
        body: JSON.stringify({ s: 'utc', e: [{ n: 'pageview', u: `https://utc.example${path}`, a: age }] }),
        headers: {
          'content-type': 'text/plain',
          'user-agent': 'Mozilla/5.0 (X11; Linux x86_64; rv:125.0) Gecko/20100101 Firefox/125.0',
          'x-forwarded-for': '198.51.100.1',
        },
      });
      expect(res.status).toBe(202);
      await t.flush();
    };
    // 23:40, delivered at once; 23:50, delivered by the retry queue at 00:40 (50 minutes old).
    await beacon('/', 0);
    clock.now = Date.parse('2026-03-10T00:40:00Z');
    await beacon('/b', 50 * 60_000);
    // One person on 9 March: one visitor, one visit of 600 s (the visitor id is of the event's day, whose salt is still kept).
    expect(await ask(t, { path: '/stats?site_id=utc&date=2026-03-09' })).toMatchObject({
      metrics: { pageviews: 2, visitors: 1, visits: 1, bounce_rate: 0, visit_duration: 600 },
    });
  });

  it('B: hours on the days Lord Howe shifts its clocks by 30 minutes are the hours a person there lists', async () => {
    await start();
    const at = (tag: string, iso: string) => view(tag, `p-${tag}`, iso, '/', { site: 'lh' });
    await deliver(
      at('apr-1', '2026-04-04T14:30:00Z'), // 01:30 LHDT
      at('apr-2', '2026-04-04T15:15:00Z'), // 01:45 LHST, the second time round
      at('apr-3', '2026-04-04T20:00:00Z'), // 06:30 LHST
      at('oct-1', '2026-10-03T15:10:00Z'), // 01:40 LHST
      at('oct-2', '2026-10-03T15:45:00Z'), // 02:45 LHDT, just after the clocks skipped 02:00-02:30
      at('oct-3', '2026-10-03T20:00:00Z'), // 07:00 LHDT
    );
    const april = await answers('/stats/timeseries?site_id=lh&date=2026-04-05');
    const rows = (r: Answer) => (r.results ?? []).map((x) => `${x.date} ${x.start} ${x.pageviews}`);
    expect(april.expected.results).toHaveLength(25);
    expect(rows(april.expected).filter((r) => !r.endsWith(' 0'))).toEqual([
      '2026-04-05T01:00 2026-04-04T14:00:00.000Z 1',
      '2026-04-05T01:30 2026-04-04T15:00:00.000Z 1',
      '2026-04-05T06:00 2026-04-04T19:30:00.000Z 1',
    ]);
    expect(april.actual).toEqual(april.expected);
    const october = await answers('/stats/timeseries?site_id=lh&date=2026-10-04');
    expect(october.expected.results).toHaveLength(24);
    expect(rows(october.expected).filter((r) => !r.endsWith(' 0'))).toEqual([
      '2026-10-04T01:00 2026-10-03T14:30:00.000Z 1',
      '2026-10-04T02:30 2026-10-03T15:30:00.000Z 1',
      '2026-10-04T07:00 2026-10-03T20:00:00.000Z 1',
    ]);
    expect(october.actual).toEqual(october.expected);
  });

  it('D: rates and means are rounded half away from zero on their decimal value', async () => {
    await start();
    // 80 visits: 23 of one page view (bounces), 55 of a page view and a click, 2 of two page views.
    const events: SentEvent[] = [];
    for (let i = 0; i < 80; i++) {
      const who = `v${i}`;
      events.push(view(`${who}-1`, who, '2026-03-10T10:00:00Z'));
      if (i >= 23 && i < 78)
        events.push(handEvent(`${who}-2`, 'utc', who, '2026-03-10T10:01:00Z', { event_type: 'click', element: 'Buy now' }));
      if (i >= 78) events.push(view(`${who}-2`, who, '2026-03-10T10:01:00Z', '/b'));
    }
    // The day before: one visit of 80 s; this day's mean is 57 × 60 s / 80 = 42.75 s.
    events.push(view('w1', 'w', '2026-03-09T10:00:00Z'), view('w2', 'w', '2026-03-09T10:01:20Z'));
    await deliver(...events);
    const { expected, actual } = await answers('/stats?site_id=utc&date=2026-03-10&compare=previous_period');
    // 82/80 = 1.025 → 1.03; 23/80 = 28.75 % → 28.8; 42.75 s → 43; (43 - 80) / 80 = -46.25 % → -46.3.
    expect(expected.metrics).toMatchObject({
      pageviews: 82,
      visits: 80,
      views_per_visit: 1.03,
      bounce_rate: 28.8,
      visit_duration: 43,
      events: 55,
    });
    // The bounce rate's change is in percentage points: 28.8 − 0.
    expect(expected.comparison?.change).toMatchObject({ visit_duration: -46.3, bounce_rate: 28.8 });
    expect(actual).toEqual(expected);
  });

  it('D: a negative change at an exact half is rounded away from zero', async () => {
    await start();
    // One visit of 80 s, then one of 79 s: (79 - 80) / 80 = -1.25 % → -1.3.
    await deliver(
      view('a1', 'a', '2026-03-09T10:00:00Z'),
      view('a2', 'a', '2026-03-09T10:01:20Z'),
      view('b1', 'b', '2026-03-10T10:00:00Z'),
      view('b2', 'b', '2026-03-10T10:01:19Z'),
    );
    const { expected, actual } = await answers('/stats?site_id=utc&date=2026-03-10&compare=previous_period');
    expect(expected.comparison?.change).toMatchObject({ visit_duration: -1.3, pageviews: 0, bounce_rate: 0 });
    expect(actual).toEqual(expected);
  });

  it('C1: after retention, a filtered summary of the deleted days keeps its revenue and top pages', async () => {
    await start({ RETENTION_DAYS: '2' }, '2026-03-01T00:00:00Z');
    const buy = (tag: string, who: string, at: string, amount: number) =>
      handEvent(tag, 'utc', who, at, { event_type: 'Purchase', url: 'https://utc.example/pricing', revenue: { amount, currency: 'EUR' } });
    await deliver(
      view('a1', 'alice', '2026-03-02T10:00:00Z', '/pricing'),
      buy('a2', 'alice', '2026-03-02T10:01:00Z', 20),
      view('b1', 'bob', '2026-03-02T11:00:00Z', '/a'),
      view('c1', 'carol', '2026-03-09T11:00:00Z', '/pricing'),
    );
    const stored = await readStored(t);
    clock.now = Date.parse('2026-03-10T12:00:00Z');
    await t.retention!.prune();
    for (const path of [
      '/stats?site_id=utc&from=2026-03-01&to=2026-03-09&filters=page==/pricing',
      '/stats?site_id=utc&from=2026-03-01&to=2026-03-09&filters=country==DE',
      '/stats?site_id=utc&date=2026-03-02',
    ]) {
      const { expected, actual } = await answers(path, { stored });
      expect(actual).toEqual(expected);
    }
    const pricing = await answers('/stats?site_id=utc&from=2026-03-01&to=2026-03-09&filters=page==/pricing', { stored });
    expect(pricing.expected).toMatchObject({
      top_paths: [{ path: '/pricing', views: 2 }],
      metrics: { pageviews: 2, revenue: { EUR: 20 } },
    });
  });

  it('C2: retention and then a rebuild keep the counts of the day the retention cut', async () => {
    await start({ RETENTION_DAYS: '2' }, '2026-03-01T00:00:00Z');
    await deliver(
      view('a1', 'alice', '2026-03-08T08:00:00Z', '/', { site: 'ny' }), // 03:00 in New York
      view('b1', 'bob', '2026-03-08T20:00:00Z', '/', { site: 'ny' }), // 16:00
      view('c1', 'carol', '2026-03-09T20:00:00Z', '/', { site: 'ny' }),
    );
    const stored = await readStored(t);
    // Two days before 2026-03-10 12:00 UTC is mid-day of 2026-03-08 in New York.
    clock.now = Date.parse('2026-03-10T12:00:00Z');
    await t.retention!.prune();
    await rebuildRollups(t.store);
    const { expected, actual } = await answers('/stats/timeseries?site_id=ny&from=2026-03-07&to=2026-03-09&interval=day', { stored });
    expect(expected.results?.map((r) => r.pageviews)).toEqual([0, 2, 1]);
    expect(actual).toEqual(expected);
    const day = await answers('/stats?site_id=ny&date=2026-03-08', { stored });
    expect(day.actual).toEqual(day.expected);
  });
});
