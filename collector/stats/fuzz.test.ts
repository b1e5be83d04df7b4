import fc from 'fast-check';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { storableText } from '../store/storable-text.ts';
import { createTestCollector, type TestCollector } from '../../testing/test-collector.ts';

// The read API under generated parameters, and strings that look like SQL,
// paths and markup in every field: data, stored and given back as sent.
// FUZZ_RUNS sets how many requests (10,000 by default), FUZZ_SEED replays a run.

const RUNS = Number(process.env.FUZZ_RUNS ?? 10_000);
const SEED = Number(process.env.FUZZ_SEED ?? Date.now() % 2 ** 31);

const HOSTILE = [
  "' OR '1'='1",
  "'; DROP TABLE events; --",
  '" OR ""="',
  '1; DELETE FROM visits',
  "x' UNION SELECT name FROM sqlite_master --",
  '../../../../etc/passwd',
  '..\\..\\windows\\win.ini',
  '/%2e%2e/%2e%2e/etc/passwd',
  '<script>alert(1)</script>',
  '<img src=x onerror="alert(1)">',
  'javascript:alert(1)',
  // biome-ignore lint/suspicious/noTemplateCurlyInString: a payload that only looks like a template
  '${process.exit(1)}',
  '{{constructor.constructor("alert(1)")()}}',
  '%00\u0000nul',
  'a\r\nSet-Cookie: x=1',
];

let t: TestCollector;
let tables: unknown;

beforeAll(async () => {
  t = await createTestCollector({
    env: { FOOTFALL_SITES: 'shop, lordhowe;tz=Australia/Lord_Howe, other;tz=America/New_York', RATE_LIMIT: 'off' },
  });
  // Events across every instant the collector takes, so that reads of any range meet some.
  const instants = fc.sample(fc.oneof(fc.integer({ min: 0, max: Date.now() }), fc.constantFrom(0, 1, Date.now() - 1000)), {
    numRuns: 60,
    seed: SEED,
  });
  for (const [i, ms] of instants.entries()) {
    const res = await t.post('/event', {
      site_id: 'lordhowe',
      event_type: i % 3 ? 'pageview' : 'Signup',
      path: `/t${i % 4}`,
      user_id: `t${i % 7}`,
      timestamp: new Date(ms).toISOString(),
      props: { plan: i % 2 ? 'pro' : 'free' },
    });
    expect(res.status).toBe(202);
  }
  for (const timestamp of ['1970-01-01T00:00:00Z', new Date(Date.now() - 3_600_000).toISOString()]) {
    expect((await t.post('/event', { site_id: 'other', event_type: 'pageview', path: '/kept', user_id: 'u1', timestamp })).status).toBe(
      202,
    );
  }
  const page = (i: number) => `https://shop.example/${encodeURIComponent(HOSTILE[i % HOSTILE.length]!)}`;
  const batch = {
    s: 'shop',
    e: HOSTILE.flatMap((text, i) => [
      {
        n: 'pageview',
        u: `${page(i)}?utm_source=${encodeURIComponent(text)}&utm_campaign=${encodeURIComponent(text)}`,
        k: `/${text}`,
        r: `https://news.example/?q=${encodeURIComponent(text)}`,
        a: 0,
      },
      { n: text, u: page(i), k: `/${text}`, p: { [text.slice(0, 60) || 'k']: text }, x: text, a: 0 },
    ]),
  };
  expect((await t.post('/events', batch)).status).toBe(202);
  for (const [i, text] of HOSTILE.entries()) {
    const at = new Date().toISOString();
    // A visitor each, so that each campaign starts a visit of its own.
    const view = {
      site_id: 'shop',
      event_type: 'pageview',
      timestamp: at,
      user_id: `visitor-${i}`,
      url: `${page(i)}?utm_source=${encodeURIComponent(text)}&utm_campaign=${encodeURIComponent(text)}`,
      path: `/${text}`,
      title: text,
    };
    expect((await t.post('/event', view)).status).toBe(202);
    const custom = {
      site_id: 'shop',
      event_type: text,
      timestamp: at,
      path: `/${text}`,
      title: text,
      user_id: text,
      props: { note: text },
    };
    expect((await t.post('/event', custom)).status).toBe(202);
  }
  await t.flush();
  tables = await schema();
});
afterAll(() => t.close());

// SQLite's own catalogue, outside the Database type.
const schema = async () =>
  (await sql<{ name: string; sql: string | null }>`select name, sql from sqlite_master order by name`.execute(t.store.db)).rows;
const get = async (path: string) => {
  const res = await t.app.request(path);
  expect(res.status).toBe(200);
  return res.json();
};

describe('strings that look like SQL, paths or markup', () => {
  it('are stored and given back as sent (U+0000 as U+FFFD, as every store holds it), in every field the stats read', async () => {
    const today = new Date().toISOString().slice(0, 10);
    const values = async (by: string) =>
      (
        (await get(`/stats/breakdown?site_id=shop&date=${today}&by=${encodeURIComponent(by)}&limit=1000`)).results as {
          value: string | null;
        }[]
      ).map((r) => r.value);
    const paths = await values('page');
    const events = await values('event');
    const stored = HOSTILE.map(storableText);
    for (const text of stored) {
      expect(paths).toContain(`/${text}`);
      expect(events).toContain(text);
    }
    expect(await values('utm_source')).toEqual(expect.arrayContaining(stored));
    expect(await values('utm_campaign')).toEqual(expect.arrayContaining(stored));
    expect(await values('prop:note')).toEqual(expect.arrayContaining(stored));
  });

  it('work as filter values and as property names, matching only what they name', async () => {
    const today = new Date().toISOString().slice(0, 10);
    for (const text of HOSTILE) {
      const escaped = text.replace(/[\\;]/g, '\\$&');
      const answer = await get(`/stats?site_id=shop&date=${today}&filters=${encodeURIComponent(`event==${escaped}`)}`);
      expect(answer.metrics.events).toBe(2); // the tracker's and the server's
      expect(answer.metrics.pageviews).toBe(0);
    }
    // A property is named by any text: the name is a bound parameter, never SQL.
    const injected = await get(`/stats/breakdown?site_id=shop&date=${today}&by=${encodeURIComponent(`prop:x") or 1=1 --`)}`);
    expect(injected.results).toEqual([]);
    for (const text of HOSTILE) {
      const key = text.slice(0, 60);
      const values = await get(`/stats/breakdown?site_id=shop&date=${today}&by=${encodeURIComponent(`prop:${key}`)}`);
      expect(values.results.map((r: { value: string }) => r.value)).toEqual([storableText(text)]);
    }
  });
});

// What each read endpoint takes, and values for it: good, bad and hostile.
const anyValue = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(...HOSTILE) },
  { weight: 2, arbitrary: fc.string({ maxLength: 40 }) },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 20 }) },
  { weight: 1, arbitrary: fc.integer().map(String) },
  { weight: 1, arbitrary: fc.string({ minLength: 3000, maxLength: 5000 }) },
  { weight: 1, arbitrary: fc.constantFrom('', ' ', '0', '-1', '1e309', 'NaN', 'null', 'undefined', '[]', '{}', 'true') },
);
// Every day the read API takes (1970-01-01 to 9999-12-31), mostly near the data; days before and after it; and no days.
const isoDay = (min: string, max: string) =>
  fc.date({ min: new Date(min), max: new Date(max), noInvalidDate: true }).map((d) => d.toISOString().slice(0, 10));
const day = fc.oneof(
  { weight: 3, arbitrary: isoDay('1970-01-01', '2100-12-31') },
  { weight: 2, arbitrary: isoDay('1970-01-01', '9999-12-31') },
  {
    weight: 1,
    arbitrary: fc.constantFrom('1970-01-01', '1970-01-02', '9999-12-31', '9999-12-30', '1969-12-31', '0000-01-01', '10000-01-01'),
  },
  { weight: 1, arbitrary: isoDay('0000-01-01', '1969-12-31') },
  { weight: 1, arbitrary: fc.constantFrom('2026-02-30', '2026-13-01', '0000-00-00', '2026-1-1', '20261123', '9999-99-99') },
  { weight: 1, arbitrary: anyValue },
);
const PARAMS: Record<string, fc.Arbitrary<string>> = {
  site_id: fc.oneof(
    { weight: 4, arbitrary: fc.constantFrom('shop', 'lordhowe') },
    { weight: 1, arbitrary: fc.constantFrom('nope', 'SHOP') },
    { weight: 1, arbitrary: anyValue },
  ),
  date: day,
  from: day,
  to: day,
  period: fc.oneof(fc.constantFrom('day', '7d', '30d', 'month', '6mo', '12mo', 'all'), anyValue),
  compare: fc.oneof(fc.constantFrom('previous_period', 'year'), anyValue),
  filters: fc.oneof(
    fc
      .tuple(
        fc.constantFrom('page', 'source', 'country', 'event', 'prop:plan', 'utm_campaign', 'browser', 'nope', 'prop:'),
        fc.constantFrom('==', '!=', '~', '=', ''),
        anyValue,
      )
      .map(([d, op, v]) => `${d}${op}${v}`),
    fc
      .array(fc.constantFrom('page==/a', 'source==', 'country!=DE', 'event~sign', 'page==/a\\;b'), { maxLength: 4 })
      .map((a) => a.join(';')),
    anyValue,
  ),
  interval: fc.oneof(fc.constantFrom('hour', 'day', 'week', 'month'), anyValue),
  by: fc.oneof(
    fc.constantFrom(
      'page',
      'entry_page',
      'exit_page',
      'source',
      'referrer',
      'utm_source',
      'country',
      'city',
      'browser',
      'event',
      'link',
      'element',
      'prop:plan',
      'prop:note',
    ),
    anyValue.map((v) => `prop:${v}`),
    anyValue,
  ),
  limit: fc.oneof(fc.integer({ min: -5, max: 2000 }).map(String), anyValue),
  page: fc.oneof(fc.integer({ min: -5, max: 50 }).map(String), anyValue),
  format: fc.oneof(fc.constantFrom('json', 'csv'), anyValue),
};
const ENDPOINTS: Record<string, string[]> = {
  '/stats': ['site_id', 'date', 'period', 'from', 'to', 'filters', 'compare'],
  '/stats/timeseries': ['site_id', 'date', 'period', 'from', 'to', 'filters', 'compare', 'interval', 'format'],
  '/stats/breakdown': ['site_id', 'date', 'period', 'from', 'to', 'filters', 'by', 'limit', 'page', 'format'],
  '/stats/properties': ['site_id', 'date', 'period', 'from', 'to', 'filters', 'limit', 'format'],
  '/stats/realtime': ['site_id'],
  '/sites': [],
};

const query = fc.constantFrom(...Object.keys(ENDPOINTS)).chain((path) =>
  fc
    .tuple(fc.subarray(ENDPOINTS[path]!), fc.dictionary(fc.string({ minLength: 1, maxLength: 8 }), anyValue, { maxKeys: 2 }), fc.boolean())
    .chain(([names, junk, repeat]) =>
      fc.tuple(...names.map((name) => PARAMS[name]!)).map((values) => {
        const params = new URLSearchParams(junk);
        for (const [i, name] of names.entries()) params.append(name, values[i]!);
        if (repeat && names[0]) params.append(names[0], 'again');
        return `${path}?${params}`;
      }),
    ),
);
const report = fc
  .record(
    {
      site_id: fc.oneof(fc.constantFrom('shop', 'lordhowe'), anyValue),
      start_date: day,
      end_date: day,
      metrics: fc.oneof(
        fc.subarray(['visitors', 'visits', 'pageviews', 'bounce_rate', 'visit_duration', 'views_per_visit', 'events']),
        fc.array(anyValue, { maxLength: 3 }),
        anyValue,
      ),
      group_by: fc.oneof(fc.constantFrom('day', 'week', 'month', 'page', 'source', 'prop:plan'), anyValue),
      filters: PARAMS.filters!,
      limit: fc.oneof(fc.integer({ min: -5, max: 20_000 }), anyValue),
    },
    { requiredKeys: [] },
  )
  .map((body) => JSON.stringify(body));

describe(`the read API under ${RUNS} generated requests (seed ${SEED})`, () => {
  it('answers 200 or a 4xx that names the field and the reason, never a 5xx, and changes nothing', async () => {
    const requests = fc.sample(
      fc.oneof(
        { weight: 5, arbitrary: query.map((url) => ({ url, body: null as string | null })) },
        { weight: 1, arbitrary: report.map((body) => ({ url: '/reports', body })) },
      ),
      {
        numRuns: RUNS,
        seed: SEED,
      },
    );
    const failures: string[] = [];
    for (const { url, body } of requests) {
      const res = await t.app.request(url, body === null ? {} : { method: 'POST', body, headers: { 'content-type': 'application/json' } });
      const text = await res.text();
      const what = `${body === null ? 'GET' : 'POST'} ${url.slice(0, 300)} ${body?.slice(0, 300) ?? ''}`;
      if (res.status >= 500) failures.push(`${res.status} for ${what}: ${text.slice(0, 200)}`);
      else if (res.status >= 400) {
        const errors = (JSON.parse(text) as { errors?: { field: string; reason: string }[] }).errors ?? [];
        if (errors.length === 0 || errors.some((e) => !e.field || !e.reason))
          failures.push(`a ${res.status} that names no field and reason for ${what}: ${text.slice(0, 200)}`);
      } else if (res.status !== 200) failures.push(`${res.status} for ${what}`);
      else if (!res.headers.get('content-type')?.match(/^(application\/json|text\/csv)/))
        failures.push(`a 200 of ${res.headers.get('content-type')} for ${what}`);
      if (failures.length >= 5) break;
    }
    expect(failures).toEqual([]);
    expect(await schema()).toEqual(tables);
  }, 600_000);

  it('leaves the collector alive and every other site answering as before', async () => {
    expect((await t.app.request('/health')).status).toBe(200);
    expect((await t.app.request('/ready')).status).toBe(200);
    // 1970-01-01T00:00Z is 1969-12-31 in New York: all time holds it, days from 1970-01-01 do not.
    for (const [range, pageviews] of [
      ['', 2],
      ['&filters=page~kept;page!=x', 2],
      ['&from=1970-01-01&to=9999-12-31', 1],
      ['&date=1970-01-01&compare=previous_period', 0],
    ] as const) {
      const other = await get(`/stats?site_id=other${range}`);
      expect(other.metrics.pageviews, range).toBe(pageviews);
    }
    expect((await get('/stats?site_id=other&date=1970-01-01&compare=previous_period')).comparison.metrics.pageviews).toBe(1);
    expect((await get('/stats?site_id=lordhowe&from=1970-01-01&to=9999-12-31')).metrics.pageviews).toBeGreaterThan(0);
  });
});
