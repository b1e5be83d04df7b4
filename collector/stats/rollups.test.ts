import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DIMENSIONS, isVisitDimension } from '../store/dimensions.ts';
import type { IncomingEvent } from '../store/schema.ts';
import type { Store } from '../store/store.ts';
import { describeEachStore, type StoreKind } from '../../testing/test-stores.ts';
import { dayNumber, localDate } from '../timezone.ts';
import type { Clause, Grouping, StatsQuery } from './query.ts';
import { rawCounters, rawLinkElements, rawPageViews, rawRevenue, type RevenueSum } from './raw.ts';
import {
  pagesRollupCanAnswer,
  revenueRollupCanAnswer,
  rollupCounters,
  rollupLinkElements,
  rollupPageViews,
  rollupRevenue,
  rollupsCanAnswer,
  segments,
} from './rollups.ts';

// For random events written in random batches and orders, every answer the
// rollups give equals the same question asked of the raw events and visits.

const ZONES: Record<string, string> = {
  berlin: 'Europe/Berlin',
  kolkata: 'Asia/Kolkata',
  utc: 'UTC',
  lordhowe: 'Australia/Lord_Howe',
  chatham: 'Pacific/Chatham',
  newyork: 'America/New_York',
};
const START = Date.parse('2026-03-27T20:00:00Z'); // Berlin moves its clocks on 2026-03-29
/** Where each site's events begin: four days over a change of its clocks, or over 1970-01-01 (stored by an older collector). */
const STARTS: Record<string, number> = {
  lordhowe: Date.parse('2026-04-02T20:00:00Z'), // by half an hour on 2026-04-05
  chatham: Date.parse('2026-09-24T20:00:00Z'), // at a quarter to three on 2026-09-27
  newyork: Date.parse('1969-12-30T20:00:00Z'),
};
const startOf = (site: string) => STARTS[site] ?? START;
const pick = <T>(values: readonly T[]) => fc.constantFrom(...values);

const eventArb = fc.record({
  site_id: pick(Object.keys(ZONES)),
  visitor: fc.integer({ min: 0, max: 3 }),
  previous: fc.option(fc.integer({ min: 0, max: 3 }), { freq: 4 }),
  // Clustered in time so that visits form, grow, split, cross midnight and arrive late.
  minute: fc.oneof(fc.integer({ min: 0, max: 4 * 24 * 60 }), fc.integer({ min: 0, max: 240 }), fc.integer({ min: 1420, max: 1460 })),
  second: fc.integer({ min: 0, max: 59 }),
  kind: pick(['pageview', 'pageview', 'pageview', 'click', 'custom', 'engagement'] as const),
  path: fc.option(pick(['/', '/a', '/b', '/pricing']), { freq: 8 }),
  source: fc.option(pick(['Google', 'X', '']), { freq: 2 }),
  country: fc.option(pick(['DE', 'IN']), { freq: 3 }),
  device: pick(['desktop', 'mobile']),
  utm_campaign: fc.option(pick(['spring', 'news']), { freq: 1 }),
  link: pick(['https://out.test/', 'https://cdn.test/a.pdf']),
  element: fc.option(pick(['outbound', 'download']), { freq: 3 }),
  // Now and then a page view sent with a link and element (a server may send any field with any event).
  pageLink: fc.integer({ min: 0, max: 5 }).map((n) => n === 0),
  name: pick(['Signup', 'Purchase']),
  plan: fc.option(pick(['free', 'pro']), { freq: 1 }),
  revenue: fc.option(fc.integer({ min: -500, max: 5000 }), { freq: 1 }),
});

type RandomEvent = typeof eventArb extends fc.Arbitrary<infer T> ? T : never;

function toRow(e: RandomEvent): IncomingEvent {
  const type = e.kind === 'pageview' ? 'pageview' : e.kind;
  return {
    site_id: e.site_id,
    ts: startOf(e.site_id) + e.minute * 60_000 + e.second * 1000,
    type,
    name: type === 'custom' ? e.name : type,
    visitor_id: `v${e.visitor}`,
    previous_visitor_id: e.previous === null ? null : `v${e.previous}`,
    path: e.path,
    source: e.source,
    country: e.country,
    device: e.device,
    utm_campaign: e.utm_campaign,
    link: type === 'click' || (type === 'pageview' && e.pageLink) ? e.link : null,
    element: type === 'click' || (type === 'pageview' && e.pageLink) ? e.element : null,
    props: e.plan ? JSON.stringify({ plan: e.plan }) : null,
    revenue_amount: type === 'custom' && e.revenue !== null ? e.revenue / 100 : null,
    revenue_currency: type === 'custom' && e.revenue !== null ? (e.revenue % 2 === 0 ? 'EUR' : 'USD') : null,
  };
}

/** The local day each site's events begin on. */
const firstDay = (site: string) => dayNumber(localDate(startOf(site), ZONES[site]!));
const questionArb = fc.record({
  site: pick(Object.keys(ZONES)),
  // Days of the events, and ranges around them that hold whole months (March, April).
  from: fc.oneof(fc.integer({ min: 0, max: 5 }), fc.integer({ min: -40, max: 0 })),
  length: fc.oneof(fc.integer({ min: 0, max: 5 }), fc.integer({ min: 20, max: 80 })),
  grouping: fc.oneof(
    fc.constant<Grouping>({ by: 'total' }),
    fc.constant<Grouping>({ by: 'day' }),
    fc.constant<Grouping>({ by: 'hour' }),
    pick(DIMENSIONS).map((dim): Grouping => ({ by: 'dim', dim })),
  ),
  filter: fc.option(
    fc.record({
      dim: pick(DIMENSIONS),
      value: pick([
        '',
        '/a',
        '/b',
        'Google',
        'X',
        'DE',
        'mobile',
        'spring',
        'Signup',
        'click',
        'pageview',
        'https://out.test/',
        'download',
      ]),
    }),
    { freq: 1 },
  ),
});

/**
 * A fresh database of a kind, and the stores writing to it: on PostgreSQL two,
 * as two collectors sharing it, which write their batches at the same time.
 */
async function withStores<T>(kind: StoreKind, run: (stores: Store[]) => Promise<T>): Promise<T> {
  const database = await kind.createDatabase();
  // Roll-ups happen mid-stream as well as at the end, as in a running collector.
  const options = { timeZoneOf: (id: string) => ZONES[id] ?? 'UTC', rollUpAfterEvents: 7, rollUpAfterMs: Infinity };
  const stores = [await database.open(options)];
  try {
    if (kind.name === 'PostgreSQL') stores.push(await database.open(options));
    return await run(stores);
  } finally {
    for (const store of stores) await store.close();
    await database.drop();
  }
}

describeEachStore('rollups answer as raw events do', (kind) => {
  it('for random events, batches and questions', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(eventArb, { minLength: 1, maxLength: 150, size: 'large' }),
        fc.array(fc.integer({ min: 1, max: 25 }), { minLength: 1, maxLength: 10 }),
        fc.array(questionArb, { minLength: 12, maxLength: 12 }),
        fc.boolean(),
        async (events, batchSizes, questions, inOrder) => {
          await withStores(kind, async (stores) => {
            const store = stores[0]!;
            // Live traffic arrives mostly in time order (visits grow across roll-ups); backfills in any.
            const rows = events.map(toRow);
            if (inOrder) rows.sort((a, b) => a.ts - b.ts);
            // Batches go to the stores in turn; each store writes its own in order, all stores at once.
            const queues: IncomingEvent[][][] = stores.map(() => []);
            for (let i = 0, b = 0; i < rows.length; b++) {
              const size = batchSizes[b % batchSizes.length]!;
              queues[b % stores.length]!.push(rows.slice(i, i + size));
              i += size;
            }
            await Promise.all(
              stores.map(async (s, n) => {
                for (const batch of queues[n]!) await s.insertEvents(batch);
              }),
            );
            for (const s of stores) await s.rollUp();
            const check = async () => {
              for (const question of questions) {
                const filters: Clause[] = question.filter ? [{ dim: question.filter.dim, op: '==', value: question.filter.value }] : [];
                const q: StatsQuery = {
                  siteId: question.site,
                  timeZone: ZONES[question.site]!,
                  from: firstDay(question.site) + question.from,
                  to: firstDay(question.site) + question.from + question.length,
                  filters,
                };
                for (const byName of [false, true]) {
                  if (!revenueRollupCanAnswer(q, byName)) continue;
                  expect(sortRevenue(await rollupRevenue(store, q, byName)), JSON.stringify({ q, byName })).toEqual(
                    sortRevenue(await rawRevenue(store, q, byName)),
                  );
                }
                if (pagesRollupCanAnswer(q))
                  expect(await rollupPageViews(store, q), JSON.stringify({ q, pages: true })).toEqual(await rawPageViews(store, q));
                if (!rollupsCanAnswer(q, question.grouping)) continue;
                expect(await rollupCounters(store, q, question.grouping), JSON.stringify({ q, g: question.grouping })).toEqual(
                  await rawCounters(store, q, question.grouping),
                );
                if (filters.length === 0) {
                  const links = ['https://out.test/', 'https://cdn.test/a.pdf'];
                  expect(await rollupLinkElements(store, q, links)).toEqual(await rawLinkElements(store, q, links));
                }
              }
            };
            await check();
            // A rebuild from raw events gives the same visits and the same answers (the bookkeeping of roll-up and writer aside).
            const visits = () =>
              store.db
                .selectFrom('visits')
                .selectAll()
                .orderBy('id')
                .execute()
                .then((rows) => rows.map(({ members, rolled, bounds, ...v }) => v));
            const kept = await visits();
            await store.rebuildRollups();
            expect(await visits()).toEqual(kept);
            await check();
          });
        },
      ),
      // A run on PostgreSQL makes a schema and two pools: fewer runs, the same property.
      { numRuns: kind.name === 'PostgreSQL' ? 10 : 40 },
    );
  }, 180_000);
});

const sortRevenue = (rows: RevenueSum[]) =>
  rows.filter((r) => r.micros !== 0n).sort((a, b) => `${a.name}${a.currency}`.localeCompare(`${b.name}${b.currency}`));

describe('segments', () => {
  it('splits days into whole months and the days at either end', () => {
    const d = dayNumber;
    expect(segments(d('2026-01-15'), d('2026-04-10'))).toEqual({
      days: [
        [d('2026-01-15'), d('2026-01-31')],
        [d('2026-04-01'), d('2026-04-10')],
      ],
      months: [2026 * 12 + 1, 2026 * 12 + 2],
    });
    expect(segments(d('2026-01-01'), d('2026-12-31'))).toEqual({ days: [], months: [2026 * 12, 2026 * 12 + 11] });
    expect(segments(d('2026-01-02'), d('2026-01-30'))).toEqual({ days: [[d('2026-01-02'), d('2026-01-30')]], months: null });
  });

  it('knows which questions rollups hold', () => {
    const q = (filters: Clause[]): StatsQuery => ({ siteId: 's', timeZone: 'UTC', from: 0, to: 1, filters });
    expect(rollupsCanAnswer(q([]), { by: 'dim', dim: 'prop:plan' })).toBe(false);
    expect(rollupsCanAnswer(q([{ dim: 'source', op: '!=', value: 'X' }]), { by: 'total' })).toBe(false);
    expect(rollupsCanAnswer(q([{ dim: 'source', op: '==', value: 'X' }]), { by: 'dim', dim: 'page' })).toBe(false);
    expect(rollupsCanAnswer(q([{ dim: 'page', op: '==', value: '' }]), { by: 'total' })).toBe(false);
    expect(rollupsCanAnswer(q([{ dim: 'source', op: '==', value: '' }]), { by: 'day' })).toBe(true);
    expect(isVisitDimension('source')).toBe(true);
    // Revenue is rolled up per value of every dimension; per event name only under no filter or one on the name.
    expect(revenueRollupCanAnswer(q([{ dim: 'source', op: '==', value: 'X' }]), false)).toBe(true);
    expect(revenueRollupCanAnswer(q([{ dim: 'source', op: '==', value: '' }]), false)).toBe(true);
    expect(revenueRollupCanAnswer(q([{ dim: 'page', op: '==', value: '' }]), false)).toBe(false);
    expect(revenueRollupCanAnswer(q([{ dim: 'source', op: '==', value: 'X' }]), true)).toBe(false);
    expect(revenueRollupCanAnswer(q([{ dim: 'event', op: '==', value: 'Purchase' }]), true)).toBe(true);
    expect(revenueRollupCanAnswer(q([{ dim: 'prop:plan', op: '==', value: 'pro' }]), false)).toBe(false);
    // Page views per page, on the same terms (the top pages of /stats).
    expect(pagesRollupCanAnswer(q([{ dim: 'country', op: '==', value: 'DE' }]))).toBe(true);
    expect(pagesRollupCanAnswer(q([{ dim: 'element', op: '==', value: '' }]))).toBe(false);
    expect(pagesRollupCanAnswer(q([{ dim: 'country', op: '~', value: 'D' }]))).toBe(false);
  });
});
