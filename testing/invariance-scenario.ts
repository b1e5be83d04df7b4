import fc from 'fast-check';

/**
 * Generated traffic for the order-invariance suite: a few sites in zones with
 * odd offsets and 2026 DST changes, few people (so visits collide), gaps near
 * 30 minutes and none at all (events of one instant), events near midnight,
 * and an order, batching and restart point to deliver them in.
 */

export interface ScenarioSite {
  readonly id: string;
  readonly timeZone: string;
  /** Instants worth crowding events around: local midnights and clock changes. */
  readonly anchors: readonly string[];
}

export const SCENARIO_SITES: readonly ScenarioSite[] = [
  { id: 'utc', timeZone: 'UTC', anchors: ['2026-03-08T00:00:00Z', '2026-10-04T00:00:00Z'] },
  // 2026-03-08 02:00 EST → 03:00 EDT; 2026-11-01 02:00 EDT → 01:00 EST; and the local midnights before them.
  {
    id: 'ny',
    timeZone: 'America/New_York',
    anchors: ['2026-03-08T07:00:00Z', '2026-11-01T06:00:00Z', '2026-03-08T05:00:00Z', '2026-11-01T04:00:00Z'],
  },
  // 2026-04-05 02:00 LHDT → 01:30 LHST; 2026-10-04 02:00 LHST → 02:30 LHDT; and the local midnights before them.
  {
    id: 'lh',
    timeZone: 'Australia/Lord_Howe',
    anchors: ['2026-04-04T15:00:00Z', '2026-10-03T15:30:00Z', '2026-04-04T13:00:00Z', '2026-10-03T13:30:00Z'],
  },
  // +05:45 all year: local midnight falls at a quarter past the UTC hour.
  { id: 'ktm', timeZone: 'Asia/Kathmandu', anchors: ['2026-03-08T18:15:00Z', '2026-10-03T18:15:00Z'] },
];

/** What a person's requests say about them: a user id, or else an address and browser the visitor hash is made of. */
export interface Person {
  readonly key: string;
  readonly site: string;
  readonly userId: string | null;
  readonly ip: string;
  readonly userAgent: string;
}

/** One event as sent to `POST /event`, with the request facts around it. */
export interface SentEvent {
  /** Unique; sent as the event's title, which no statistic reads, to find its stored row. */
  readonly tag: string;
  readonly person: Person;
  readonly ts: number;
  readonly ip: string;
  readonly userAgent: string;
  readonly body: Record<string, unknown>;
}

/** A filter clause chosen before the data is known: `pick` selects a value among those the events have. */
export interface FilterSpec {
  readonly dim: string;
  /** `none`: `DIM==` (no value); `some`: `DIM!=` (any value). */
  readonly op: '==' | '!=' | '~' | 'none' | 'some';
  readonly pick: number;
}

export interface Scenario {
  readonly events: readonly SentEvent[];
  /** The delivery of the permuted run: an order of `events` indices, cut into batches; a restart before batch `restartAt`. */
  readonly order: readonly number[];
  readonly batchSizes: readonly number[];
  readonly restartAt: number;
  /** Events per flush in the in-order run. */
  readonly inOrderBatch: number;
  readonly filters: readonly (readonly FilterSpec[])[];
}

export const USER_AGENTS = [
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36',
  'Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1',
  'Mozilla/5.0 (X11; Linux x86_64; rv:125.0) Gecko/20100101 Firefox/125.0',
  'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36 Edg/124.0.0.0',
];

/** Addresses and where the test's geo locator places them. */
export const PLACES: Readonly<Record<string, { country: string | null; region: string | null; city: string | null }>> = {
  '198.51.100.1': { country: 'DE', region: 'Bavaria', city: 'Munich' },
  '198.51.100.2': { country: 'DE', region: 'Berlin', city: 'Berlin' },
  '198.51.100.3': { country: 'US', region: 'New York', city: 'New York' },
  '198.51.100.4': { country: 'FR', region: null, city: null },
  '198.51.100.5': { country: null, region: null, city: null },
  '198.51.100.6': { country: 'NP', region: 'Bagmati', city: 'Kathmandu' },
};
const IPS = Object.keys(PLACES);

const PATHS = ['/', '/a', '/b', '/pricing', '/blog/x'];
const QUERIES = [
  '',
  '',
  '',
  '',
  '?utm_source=newsletter&utm_medium=email&utm_campaign=spring',
  '?utm_source=Google&utm_campaign=brand&utm_term=shoes&utm_content=ad1',
  '?ref=producthunt',
  '?utm_source=google&utm_medium=cpc',
  '?ref=news.ycombinator.com',
  '?utm_campaign=spring&utm_source=',
];
const REFERRERS = [null, null, 'https://www.google.com/search?q=x', 'https://news.example.org/post/1', 'INTERNAL'];
const LINKS: readonly [string | null, string][] = [
  ['https://github.com/footfall', 'outbound'],
  ['https://cdn.example.net/guide.pdf', 'download'],
  [null, 'Buy now'],
];
const GAPS_S = fc.oneof(
  // No gap: two events of one instant, as a server dating its events to the second sends them.
  { weight: 1, arbitrary: fc.constant(0) },
  { weight: 4, arbitrary: fc.integer({ min: 1, max: 600 }) },
  { weight: 4, arbitrary: fc.constantFrom(1799, 1800, 1801, 1860, 1200, 2400) },
  { weight: 1, arbitrary: fc.constantFrom(2700, 5400, 3 * 3600) },
);

const kind = fc.constantFrom('pageview', 'pageview', 'pageview', 'click', 'custom', 'custom', 'engagement');
const props = fc.option(
  fc
    .record({ plan: fc.constantFrom('pro', 'free'), qty: fc.constantFrom(1, 2, 2.5), trial: fc.boolean() }, { requiredKeys: [] })
    .filter((p) => Object.keys(p).length > 0),
  { nil: undefined },
);

interface Draft {
  site: number;
  anchor: number;
  persons: {
    user: boolean;
    ip: number;
    ua: number;
    startMin: number;
    startSec: number;
    steps: {
      gap: number;
      kind: string;
      path: number;
      query: number;
      referrer: number;
      link: number;
      props: object | undefined;
      revenue: number;
      bare: number;
      wander: number;
    }[];
  }[];
}

const step = fc.record({
  gap: GAPS_S,
  kind,
  path: fc.nat(PATHS.length - 1),
  query: fc.nat(QUERIES.length - 1),
  referrer: fc.nat(REFERRERS.length - 1),
  link: fc.nat(LINKS.length - 1),
  props,
  revenue: fc.nat(7),
  // Now and then a page view sent without its page, or an event with properties that is not a custom one.
  bare: fc.nat(9),
  // A signed-in person now and then sends from another address or browser: a visit keeps its first event's.
  wander: fc.nat(6),
});

const siteDraft = fc.record({
  site: fc.nat(SCENARIO_SITES.length - 1),
  anchor: fc.nat(3),
  persons: fc.array(
    fc.record({
      user: fc.boolean(),
      ip: fc.nat(IPS.length - 1),
      ua: fc.nat(USER_AGENTS.length - 1),
      startMin: fc.integer({ min: -150, max: 150 }),
      startSec: fc.nat(59),
      steps: fc.array(step, { minLength: 1, maxLength: 7 }),
    }),
    { minLength: 1, maxLength: 4 },
  ),
}) as fc.Arbitrary<Draft>;

const filterSpec = fc.record({
  dim: fc.constantFrom(
    'page',
    'entry_page',
    'exit_page',
    'source',
    'utm_source',
    'utm_campaign',
    'referrer',
    'country',
    'city',
    'browser',
    'os',
    'device',
    'event',
    'link',
    'element',
    'prop:plan',
    'prop:qty',
    'prop:trial',
  ),
  op: fc.constantFrom('==', '==', '!=', '~', 'none', 'some'),
  pick: fc.nat(20),
}) as fc.Arbitrary<FilterSpec>;

/** Scenarios of up to four sites' traffic, with the delivery of the permuted run. */
export const scenarioArbitrary: fc.Arbitrary<Scenario> = fc
  .tuple(
    fc.array(siteDraft, { minLength: 1, maxLength: 4 }),
    fc.array(fc.array(filterSpec, { minLength: 1, maxLength: 3 }), { minLength: 1, maxLength: 2 }),
  )
  .map(([drafts, filters]) => ({ events: eventsOf(drafts), filters }))
  .chain(({ events, filters }) =>
    fc.record({
      events: fc.constant(events),
      filters: fc.constant(filters),
      order: fc.shuffledSubarray(
        events.map((_, i) => i),
        { minLength: events.length, maxLength: events.length },
      ),
      batchSizes: fc.array(fc.integer({ min: 1, max: 8 }), { minLength: 1, maxLength: 40 }),
      restartAt: fc.nat(6),
      inOrderBatch: fc.integer({ min: 1, max: 50 }),
    }),
  );

function eventsOf(drafts: Draft[]): SentEvent[] {
  const events: SentEvent[] = [];
  const usedIps = new Map<string, Set<number>>();
  drafts.forEach((draft, d) => {
    const site = SCENARIO_SITES[draft.site]!;
    const anchor = Date.parse(site.anchors[draft.anchor % site.anchors.length]!);
    draft.persons.forEach((p, i) => {
      // Cookieless people of one site are told apart by their address.
      const taken = usedIps.get(site.id) ?? new Set<number>();
      usedIps.set(site.id, taken);
      // Every address taken: no more cookieless people on this site (the search below would never end).
      if (!p.user && taken.size >= IPS.length) return;
      let ip = p.ip;
      while (!p.user && taken.has(ip)) ip = (ip + 1) % IPS.length;
      if (!p.user) taken.add(ip);
      const person: Person = {
        key: `${site.id}-${d}-${i}`,
        site: site.id,
        userId: p.user ? `user-${d}-${i}` : null,
        ip: IPS[ip]!,
        userAgent: USER_AGENTS[p.ua]!,
      };
      let ts = anchor + p.startMin * 60_000 + p.startSec * 1000;
      p.steps.forEach((s, k) => {
        if (k > 0) ts += s.gap * 1000;
        const wander = person.userId !== null && s.wander === 0;
        events.push({
          tag: `${person.key}-${k}`,
          person,
          ts,
          ip: wander ? IPS[(ip + 1) % IPS.length]! : person.ip,
          userAgent: wander ? USER_AGENTS[(p.ua + 1) % USER_AGENTS.length]! : person.userAgent,
          body: bodyOf(site.id, person, s),
        });
      });
    });
  });
  return events;
}

function bodyOf(site: string, person: Person, s: Draft['persons'][number]['steps'][number]): Record<string, unknown> {
  const host = `https://${site}.example`;
  const url = `${host}${PATHS[s.path]}${QUERIES[s.query]}`;
  const body: Record<string, unknown> = {
    site_id: site,
    ...(s.bare === 0 ? {} : { url }),
    ...(person.userId ? { user_id: person.userId } : {}),
  };
  const extraProps = s.bare === 1 && s.props ? { props: s.props } : {};
  switch (s.kind) {
    case 'pageview': {
      const referrer = REFERRERS[s.referrer];
      return {
        ...body,
        event_type: 'pageview',
        ...extraProps,
        ...(referrer ? { referrer: referrer === 'INTERNAL' ? `${host}/a` : referrer } : {}),
      };
    }
    case 'click': {
      const [link, element] = LINKS[s.link]!;
      return { ...body, event_type: 'click', element, ...extraProps, ...(link ? { link } : {}) };
    }
    case 'engagement':
      return { ...body, event_type: 'engagement', engaged_ms: 1000 * (1 + s.gap), ...extraProps };
    default: {
      const purchase = s.revenue < 5;
      const [amount, currency] = (
        [
          [9.99, 'EUR'],
          [20, 'USD'],
          [0.125, 'EUR'],
          [-5, 'EUR'],
          [1234.5678, 'JPY'],
        ] as const
      )[s.revenue % 5]!;
      return {
        ...body,
        event_type: purchase ? 'Purchase' : 'Signup',
        ...(s.props ? { props: s.props } : {}),
        ...(purchase ? { revenue: { amount, currency } } : {}),
      };
    }
  }
}
