import fc from 'fast-check';
import { expect, it } from 'vitest';
import type { IncomingEvent } from './schema.ts';
import type { Store } from './store.ts';
import { dumpRollups, dumpVisits } from '../../testing/test-dumps.ts';
import { describeEachStore, type StoreKind } from '../../testing/test-stores.ts';

// For the events of a few visitors around midnight (ids rotate then, the
// day's first 30 minutes carry yesterday's too), every order and batching of
// their arrival, with roll-ups in between, leaves the same visits and the same
// rollups, and a rebuild from the raw events leaves them as they were.

const MIDNIGHT = Date.parse('2026-11-24T00:00:00Z');
const GAP = 30 * 60_000;

const eventArb = fc.record({
  person: fc.integer({ min: 0, max: 2 }),
  // Minutes from 22:00 to 02:00, clustered so that visits form, grow and bridge.
  minute: fc.oneof(fc.integer({ min: -120, max: 120 }), fc.integer({ min: -45, max: 45 })),
  second: fc.integer({ min: 0, max: 59 }),
  // Now and then the instant and person of an earlier event: two events of one visit at one millisecond.
  twin: fc.option(fc.nat(), { freq: 3 }),
  signedIn: fc.boolean(),
  // Now and then a link to another person's id, as ids of different people can meet.
  strayLink: fc.option(fc.integer({ min: 0, max: 2 }), { freq: 6 }),
  kind: fc.constantFrom('pageview', 'pageview', 'click', 'engagement', 'custom'),
  path: fc.constantFrom('/', '/a', '/b'),
  source: fc.option(fc.constantFrom('Google', 'X'), { freq: 2 }),
  device: fc.constantFrom('desktop', 'mobile'),
});
type RandomEvent = typeof eventArb extends fc.Arbitrary<infer T> ? T : never;

/** Events of one instant (twins) are ordered by what they are, never by their arrival. */
function toRows(drawn: RandomEvent[]): IncomingEvent[] {
  const events: RandomEvent[] = [];
  for (const [i, e] of drawn.entries()) {
    const twin = e.twin === null || i === 0 ? null : events[e.twin % i]!;
    events.push(twin ? { ...e, person: twin.person, minute: twin.minute, second: twin.second, signedIn: twin.signedIn } : e);
  }
  return events.map((e) => {
    const ts = MIDNIGHT + e.minute * 60_000 + e.second * 1000;
    const day = ts < MIDNIGHT ? 'd0' : 'd1';
    const visitor = e.signedIn ? `u:${e.person}` : `p${e.person}.${day}`;
    let previous: string | null = null;
    if (!e.signedIn && ts >= MIDNIGHT && ts < MIDNIGHT + GAP) previous = `p${e.person}.d0`;
    if (e.strayLink !== null) previous = `p${e.strayLink}.d0`;
    return {
      site_id: 's1',
      ts,
      type: e.kind,
      name: e.kind === 'custom' ? 'Signup' : e.kind,
      visitor_id: visitor,
      previous_visitor_id: previous,
      path: e.path,
      source: e.source,
      device: e.device,
      link: e.kind === 'click' ? 'https://out.test/' : null,
      revenue_amount: e.kind === 'custom' ? 2.5 : null,
      revenue_currency: e.kind === 'custom' ? 'EUR' : null,
    };
  });
}

async function withStore<T>(kind: StoreKind, run: (store: Store) => Promise<T>): Promise<T> {
  const database = await kind.createDatabase();
  const store = await database.open({ timeZoneOf: () => 'Europe/Berlin', rollUpAfterEvents: 5, rollUpAfterMs: Infinity });
  try {
    return await run(store);
  } finally {
    await store.close();
    await database.drop();
  }
}

const dump = async (store: Store) => {
  await store.rollUp();
  return { visits: await dumpVisits(store.db), rollups: await dumpRollups(store.db) };
};

describeEachStore('visits whatever the order of arrival', (kind) => {
  it('are the same for every permutation and batching, and after a rebuild', async () => {
    const seed = Number(process.env.FC_SEED ?? Date.now() % 2 ** 31);
    console.log(`visits whatever the order of arrival (${kind.name}): fast-check seed ${seed} (FC_SEED=${seed} repeats it)`);
    await fc.assert(
      fc.asyncProperty(
        fc.array(eventArb, { minLength: 1, maxLength: 40 }),
        fc.array(fc.integer({ min: 1, max: 8 }), { minLength: 1, maxLength: 6 }),
        fc.infiniteStream(fc.nat()),
        async (events, batchSizes, shuffle) => {
          const rows = toRows(events);
          const inOrder = await withStore(kind, async (store) => {
            await store.insertEvents([...rows].sort((a, b) => a.ts - b.ts));
            return dump(store);
          });
          // The same rows shuffled, in batches of varying size, rolled up at some of the batches.
          const shuffled = [...rows];
          const draws = shuffle.take(rows.length);
          for (let i = shuffled.length - 1; i > 0; i--) {
            const j = draws.next().value! % (i + 1);
            [shuffled[i], shuffled[j]] = [shuffled[j]!, shuffled[i]!];
          }
          await withStore(kind, async (store) => {
            for (let i = 0, b = 0; i < shuffled.length; b++) {
              const size = batchSizes[b % batchSizes.length]!;
              await store.insertEvents(shuffled.slice(i, i + size));
              if (b % 2 === 1) await store.rollUp();
              i += size;
            }
            expect(await dump(store)).toEqual(inOrder);
            await store.rebuildRollups();
            expect(await dump(store)).toEqual(inOrder);
          });
        },
      ),
      { seed, numRuns: kind.name === 'PostgreSQL' ? 15 : 60 },
    );
  }, 240_000);
});
