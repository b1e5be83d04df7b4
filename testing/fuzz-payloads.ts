import fc from 'fast-check';
import { LIMITS } from '../collector/ingest/wire.ts';

/*
 * Generated requests for the ingestion endpoints, each with what the
 * collector must make of it: the names of the events it must store (in
 * order), the batch indices it must refuse, or a refusal of the whole
 * request. Bad parts are bad beyond doubt; good parts are good whatever
 * their text (any Unicode, lone surrogates, bytes that are not UTF-8).
 */

/** A request body and what must come of it. */
export interface FuzzCase {
  readonly what: string;
  readonly body: string | Uint8Array;
  readonly contentType: string;
  /** Names as they must be stored, one per event to be kept. */
  readonly stored: readonly string[];
  /** Batch indices to be refused one by one (the request is taken for the rest). */
  readonly refused: readonly number[];
  /** The whole request is refused: 400, or 413 for a body over the limit. */
  readonly refusedWhole: boolean;
}

export const SITE = 'shop';
const RESERVED = new Set(['pageview', 'page_view', 'click', 'engagement']);
/** Stands for bytes that are not UTF-8 at the end of a name, put into the body after it is written as JSON. */
const NOT_UTF8 = '\u{E000}not-utf8\u{E000}';
/** A stray continuation byte, a cut sequence, an encoded surrogate, a byte no UTF-8 has. */
const NOT_UTF8_BYTES = Buffer.from([0x80, 0xc3, 0x28, 0xed, 0xa0, 0x80, 0xff, 0xe2, 0x82]);
/** What those bytes read as, before the quote that ends the name. */
const NOT_UTF8_READ = Buffer.concat([NOT_UTF8_BYTES, Buffer.from('"')])
  .toString('utf8')
  .slice(0, -1);

/** Any text, lone surrogates and control characters included. */
const anyText = (maxLength: number) =>
  fc.oneof(
    { weight: 3, arbitrary: fc.string({ maxLength }) },
    { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength }) },
    {
      weight: 1,
      arbitrary: fc
        .array(fc.constantFrom('\ud800', '\udfff', '\u0000', '\u200b', '\ufeff', '\u202e', '🧪', 'é', '"', '\\', '<', ';'), {
          maxLength: Math.min(maxLength, 20),
        })
        .map((a) => a.join('')),
    },
  );

const customName = anyText(LIMITS.eventNameLength - 8).filter((s) => s.length >= 1 && !RESERVED.has(s));
const goodProps = fc.dictionary(
  anyText(LIMITS.propKeyLength).filter((k) => k.length >= 1),
  fc.oneof(anyText(LIMITS.propValueLength), fc.double({ noNaN: true, noDefaultInfinity: true }), fc.integer(), fc.boolean()),
  { maxKeys: LIMITS.props },
);
// Whole millionths within the bound: any amount of at most 6 decimals, refunds and the bound itself included.
const goodRevenue = fc.record({
  amount: fc
    .oneof(
      fc.integer({ min: -1e15, max: 1e15 }),
      fc.integer({ min: -100_000_000, max: 100_000_000 }).map((cents) => cents * 10_000),
    )
    .map((micros) => micros / 1e6),
  currency: fc.constantFrom('EUR', 'USD', 'JPY', 'GBP'),
});
/** Amounts past the bound, with more decimals than millionths, or no numbers at all. */
const badRevenueAmount = fc.oneof(
  fc.double({ noNaN: true, min: 1e9, max: Number.MAX_VALUE, minExcluded: true }),
  fc.double({ noNaN: true, min: -Number.MAX_VALUE, max: -1e9, maxExcluded: true }),
  fc.integer({ min: 1, max: 999_999 }).map((n) => n / 1e7 + 0.00000001),
  fc.string(),
);
const url = fc.oneof(fc.webUrl({ withQueryParameters: true, withFragments: true }), anyText(200));
const junkKey = fc
  .string({ minLength: 1, maxLength: 12 })
  .filter((k) => !['n', 'u', 'k', 'r', 'g', 'y', 'l', 'd', 'x', 't', 'p', '$', 'a', 'site_id', 'events', 's', 'e'].includes(k));
const junkValue = fc.oneof(fc.string(), fc.integer(), fc.constant(null), fc.boolean(), fc.array(fc.integer(), { maxLength: 3 }));

interface GoodEvent {
  readonly event: Record<string, unknown>;
  readonly name: string;
}

/** A batch event the collector must keep: a page view, an engagement or a custom event, with any text in it. */
const goodBatchEvent: fc.Arbitrary<GoodEvent> = fc
  .record(
    {
      kind: fc.constantFrom('pageview', 'engagement', 'custom', 'custom', 'not-utf8'),
      name: customName,
      u: fc.option(url, { nil: undefined }),
      k: fc.option(anyText(300), { nil: undefined }),
      r: fc.option(fc.oneof(url, fc.constant('')), { nil: undefined }),
      g: fc.integer({ min: 0, max: 24 * 60 * 60 * 1000 }),
      y: fc.option(fc.double({ min: 0, max: 50, noNaN: true }), { nil: undefined }),
      x: fc.option(anyText(LIMITS.labelInputLength), { nil: undefined }),
      p: fc.option(goodProps, { nil: undefined }),
      $: fc.option(goodRevenue, { nil: undefined }),
      a: fc.integer({ min: -60_000, max: LIMITS.ageMs - 60_000 }),
      extra: fc.dictionary(junkKey, junkValue, { maxKeys: 3 }),
      proto: fc.boolean(),
    },
    { requiredKeys: ['kind', 'name', 'g', 'a', 'extra', 'proto'] },
  )
  .map(({ kind, name, g, y, extra, proto, ...fields }) => {
    const n = kind === 'pageview' || kind === 'engagement' ? kind : kind === 'not-utf8' ? `${name.slice(0, 40)}${NOT_UTF8}` : name;
    const event: Record<string, unknown> = { ...extra, ...fields, n, ...(kind === 'engagement' ? { g, y } : {}) };
    if (proto && fields.p && Object.keys(fields.p).length <= LIMITS.props - 3)
      event.p = { ...fields.p, ['__proto__']: 'x', constructor: 'y', prototype: 1 };
    for (const key of Object.keys(event)) if (event[key] === undefined) delete event[key];
    return { event, name: n };
  });

/** A batch event the collector must refuse, with the reason it is bad. */
const badBatchEvent: fc.Arbitrary<unknown> = fc.oneof(
  fc.oneof(fc.integer(), fc.string(), fc.constant(null), fc.boolean(), fc.array(fc.integer(), { maxLength: 3 })),
  goodBatchEvent.map(({ event }) => without(event, 'n')),
  goodBatchEvent.map(({ event }) => without(event, 'a')),
  fc
    .tuple(
      goodBatchEvent,
      fc.oneof(
        fc.integer(),
        fc.boolean(),
        fc.constant(null),
        fc.object({ maxDepth: 1 }),
        fc.constant(''),
        fc.string({ minLength: LIMITS.eventNameLength + 1, maxLength: 300 }),
      ),
    )
    .map(([{ event }, n]) => ({ ...event, n })),
  fc
    .tuple(
      goodBatchEvent,
      fc.oneof(
        fc.double({ min: 0.1, max: 1e6, noInteger: true, noNaN: true }),
        fc.string(),
        fc.constant(null),
        fc.integer({ min: LIMITS.ageMs + 1 }),
      ),
    )
    .map(([{ event }, a]) => ({ ...event, a })),
  fc
    .tuple(
      goodBatchEvent,
      fc.constantFrom('u', 'k', 'r', 'l', 'd'),
      fc.oneof(
        fc.integer(),
        fc.boolean(),
        fc.object({ maxDepth: 1 }),
        fc.string({ minLength: LIMITS.urlLength + 1, maxLength: LIMITS.urlLength + 50 }),
      ),
    )
    .map(([{ event }, key, value]) => ({ ...event, [key]: value })),
  fc
    .tuple(
      goodBatchEvent,
      fc.oneof(
        fc.integer({ max: -1 }),
        fc.double({ min: 0.1, max: 1e6, noInteger: true, noNaN: true }),
        fc.integer({ min: 24 * 60 * 60 * 1000 + 1 }),
        fc.string(),
      ),
    )
    .map(([{ event }, g]) => ({ ...event, g })),
  fc
    .tuple(goodBatchEvent, fc.oneof(fc.double({ max: -0.001, noNaN: true, noDefaultInfinity: true }), fc.string(), fc.boolean()))
    .map(([{ event }, y]) => ({ ...event, y })),
  fc
    .tuple(
      goodBatchEvent,
      fc.oneof(fc.integer(), fc.string({ minLength: LIMITS.labelInputLength + 1, maxLength: LIMITS.labelInputLength + 10 })),
    )
    .map(([{ event }, x]) => ({ ...event, x })),
  fc.tuple(goodBatchEvent, badProps()).map(([{ event }, p]) => ({ ...event, p })),
  fc
    .tuple(
      goodBatchEvent,
      fc.oneof(
        fc.integer(),
        fc.string(),
        fc.record({ amount: fc.string(), currency: fc.constant('EUR') }),
        fc.record({ amount: fc.integer(), currency: fc.constantFrom('eur', 'EURO', '', '€') }),
        fc.record({ currency: fc.constant('EUR') }),
      ),
    )
    .map(([{ event }, $]) => ({ ...event, $ })),
  fc
    .tuple(
      goodBatchEvent,
      fc.dictionary(fc.string({ minLength: 1 }), fc.oneof(fc.integer(), fc.boolean(), fc.constant(null)), { minKeys: 1, maxKeys: 3 }),
    )
    .map(([{ event }, t]) => ({ ...event, t })),
);

function badProps(): fc.Arbitrary<unknown> {
  // A "__proto__" property is dropped, not refused: the bad one must be another.
  const key = fc.string({ minLength: 1, maxLength: 10 }).filter((k) => k !== '__proto__');
  return fc.oneof(
    fc.oneof(fc.integer(), fc.string(), fc.boolean()),
    fc
      .dictionary(key, fc.string({ maxLength: 5 }), { minKeys: LIMITS.props + 1, maxKeys: LIMITS.props + 10 })
      .filter((p) => Object.keys(p).length > LIMITS.props),
    fc
      .tuple(key, fc.oneof(fc.object({ maxDepth: 2 }), fc.array(fc.string(), { maxLength: 2 }), fc.constant(null)))
      .map(([k, v]) => ({ [k]: v })),
    fc
      .tuple(key, fc.string({ minLength: LIMITS.propValueLength + 1, maxLength: LIMITS.propValueLength + 20 }))
      .map(([k, v]) => ({ [k]: v })),
    fc.string({ minLength: LIMITS.propKeyLength + 1, maxLength: LIMITS.propKeyLength + 10 }).map((k) => ({ [k]: 'v' })),
    fc.constant({ '': 'v' }),
  );
}

/** A batch of good and bad events, in any order: the good are kept, the bad refused by index. */
const mixedBatch: fc.Arbitrary<FuzzCase> = fc
  .tuple(
    fc.array(
      fc.oneof(
        { weight: 3, arbitrary: goodBatchEvent.map((g) => ({ good: g })) },
        { weight: 1, arbitrary: badBatchEvent.map((bad) => ({ bad })) },
      ),
      { minLength: 1, maxLength: 12 },
    ),
    fc.oneof({ weight: 5, arbitrary: fc.constant({}) }, { weight: 1, arbitrary: fc.dictionary(junkKey, junkValue, { maxKeys: 2 }) }),
    fc.boolean(),
  )
  .map(([items, extra, proto]) => {
    const envelope: Record<string, unknown> = { ...extra, s: SITE, e: items.map((item) => ('good' in item ? item.good.event : item.bad)) };
    const body = JSON.stringify(envelope);
    const text = proto ? body.replace(/^\{/, '{"__proto__":{"polluted":true},') : body;
    return {
      what: 'a batch of good and bad events',
      body: withNotUtf8(text),
      contentType: '',
      stored: items.flatMap((item) => ('good' in item ? [stored(item.good.name)] : [])),
      refused: items.flatMap((item, index) => ('bad' in item ? [index] : [])),
      refusedWhole: items.every((item) => 'bad' in item),
    };
  });

/** A whole batch request that must be refused. */
const badBatchRequest: fc.Arbitrary<FuzzCase> = fc.oneof(
  fc.tuple(fc.array(goodBatchEvent, { minLength: 1, maxLength: 3 }), fc.nat()).map(([events, cut]) => {
    const full = JSON.stringify({ s: SITE, e: events.map((g) => g.event) });
    return refusal('truncated JSON', full.slice(0, cut % (full.length - 1)));
  }),
  fc
    .oneof(fc.string(), fc.constantFrom('', ' ', '{', '[', 'nul', '{"s":', 'undefined', 'NaN', "{'s':'shop'}"))
    .filter(notJson)
    .map((text) => refusal('not JSON', text)),
  fc
    .oneof(fc.integer(), fc.string(), fc.constant(null), fc.boolean(), fc.array(fc.integer(), { maxLength: 3 }))
    .map((value) => refusal('a JSON value that is no batch', JSON.stringify(value))),
  fc
    .array(goodBatchEvent, { minLength: 1, maxLength: 2 })
    .chain((events) =>
      fc
        .oneof(
          fc.constant(undefined),
          fc.constant(''),
          fc.constantFrom('a b', '../etc', 'x/y', '<script>', 'shop;drop'),
          fc.string({ minLength: LIMITS.siteIdLength + 1, maxLength: 120 }),
          fc.integer(),
          fc.constantFrom('unknown-site', 'Shop'),
        )
        .map((s) => refusal('a bad or unknown site', JSON.stringify({ s, e: events.map((g) => g.event) }))),
    ),
  fc
    .oneof(fc.constant(undefined), fc.constant([]), fc.constant({}), fc.string(), fc.integer(), fc.constant(null))
    .map((e) => refusal('no events', JSON.stringify({ s: SITE, e }))),
  fc
    .array(goodBatchEvent, { minLength: LIMITS.batchEvents + 1, maxLength: LIMITS.batchEvents + 5 })
    .map((events) => refusal('too many events', JSON.stringify({ s: SITE, e: events.map((g) => g.event) }))),
  fc
    .array(badBatchEvent, { minLength: 1, maxLength: 5 })
    .map((events) => refusal('only bad events', JSON.stringify({ s: SITE, e: events }))),
  fc
    .integer({ min: 100, max: 30_000 })
    .map((depth) => refusal('deep nesting', `{"s":"${SITE}","e":[${'['.repeat(depth)}${']'.repeat(depth)}]}`)),
  fc
    .integer({ min: 50, max: 20_000 })
    .map((depth) =>
      refusal('deep nesting in props', `{"s":"${SITE}","e":[{"n":"x","a":0,"p":${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}}]}`),
    ),
  fc
    .integer({ min: LIMITS.bodyBytes + 1, max: LIMITS.bodyBytes * 3 })
    .map((size) => refusal('a body over the limit', `{"s":"${SITE}","e":[{"n":"${'x'.repeat(size)}","a":0}]}`)),
);

/** `POST /event`: one event, good or bad. */
export function singleEventCases(now: number): fc.Arbitrary<FuzzCase> {
  // Every instant the collector takes, from 1970-01-01T00:00:00Z to a little ahead of its clock, mostly recent ones.
  const instant = fc.oneof(
    { weight: 4, arbitrary: fc.integer({ min: now - 30 * 86_400_000, max: now + 60_000 }) },
    { weight: 2, arbitrary: fc.integer({ min: LIMITS.earliestMs, max: now + 60_000 }) },
    {
      weight: 1,
      arbitrary: fc.constantFrom(LIMITS.earliestMs, LIMITS.earliestMs + 1, LIMITS.earliestMs + 999, now + LIMITS.futureMs - 1000),
    },
  );
  const timestamp = instant.chain((ms) => fc.constantFrom(...isoForms(ms)));
  // Before 1970 (back to year 0), or past 5 minutes ahead (up to 9999): refused, naming the timestamp.
  const outOfRange = fc
    .oneof(
      fc.integer({ min: Date.parse('0000-01-01T00:00:00Z'), max: LIMITS.earliestMs - 1 }),
      fc.constantFrom(LIMITS.earliestMs - 1, LIMITS.earliestMs - 1000, Date.parse('9999-12-31T23:59:59.999Z')),
      // Well past the limit: the run takes minutes, and the collector checks against its clock when each arrives.
      fc.integer({ min: now + LIMITS.futureMs + 30 * 60_000, max: Date.parse('9999-12-31T23:59:59Z') }),
    )
    .chain((ms) => fc.constantFrom(...isoForms(ms)));
  const good = fc
    .record(
      {
        event_type: fc.oneof(fc.constantFrom('page_view', 'pageview', 'engagement'), customName),
        timestamp,
        path: fc.option(anyText(300), { nil: undefined }),
        url: fc.option(url, { nil: undefined }),
        referrer: fc.option(url, { nil: undefined }),
        title: fc.option(anyText(LIMITS.titleLength), { nil: undefined }),
        user_id: fc.option(anyText(LIMITS.userIdLength), { nil: null }),
        props: fc.option(goodProps, { nil: null }),
        revenue: fc.option(goodRevenue, { nil: undefined }),
        scroll_depth: fc.option(fc.integer({ min: 0, max: 100 }), { nil: null }),
        extra: fc.dictionary(junkKey, junkValue, { maxKeys: 3 }),
      },
      { requiredKeys: ['event_type', 'timestamp', 'extra'] },
    )
    .map(({ extra, ...event }) => {
      const body = JSON.stringify({ ...extra, site_id: SITE, ...event });
      return {
        what: 'a good single event',
        body,
        contentType: '',
        stored: [stored(event.event_type === 'page_view' ? 'pageview' : event.event_type)],
        refused: [],
        refusedWhole: false,
      };
    });
  const bad = fc
    .tuple(
      fc.record(
        { event_type: customName, timestamp, path: fc.option(anyText(50), { nil: undefined }) },
        { requiredKeys: ['event_type', 'timestamp'] },
      ),
      fc.oneof(
        fc.record({ site_id: fc.oneof(fc.constant(undefined), fc.constant(''), fc.integer(), fc.constantFrom('unknown-site', 'a b')) }),
        fc.record({
          event_type: fc.oneof(
            fc.constant(undefined),
            fc.constant(''),
            fc.integer(),
            fc.constant(null),
            fc.string({ minLength: LIMITS.eventNameLength + 1, maxLength: 200 }),
          ),
        }),
        fc.record({
          timestamp: fc.oneof(
            fc.constant(undefined),
            fc.integer(),
            fc.constantFrom('yesterday', '2026-13-01T00:00:00Z', '2026-01-01T25:00:00Z', '', '1700000000', '+010000-01-01T00:00:00Z'),
            outOfRange,
          ),
        }),
        fc.record({
          path: fc.oneof(fc.integer(), fc.boolean(), fc.string({ minLength: LIMITS.urlLength + 1, maxLength: LIMITS.urlLength + 20 })),
        }),
        fc.record({ props: badProps() }),
        fc.record({
          user_id: fc.oneof(fc.integer(), fc.string({ minLength: LIMITS.userIdLength + 1, maxLength: LIMITS.userIdLength + 10 })),
        }),
        fc.record({
          scroll_depth: fc.oneof(
            fc.integer({ max: -1 }),
            fc.integer({ min: 101 }),
            fc.double({ min: 0.1, max: 99.9, noInteger: true, noNaN: true }),
            fc.string(),
          ),
        }),
        fc.record({ revenue: fc.oneof(fc.string(), fc.record({ amount: badRevenueAmount, currency: fc.constant('EUR') })) }),
      ),
    )
    .map(([event, wrong]) => refusal('a bad single event', JSON.stringify({ site_id: SITE, ...event, ...wrong })));
  return fc
    .oneof(
      { weight: 2, arbitrary: good },
      { weight: 2, arbitrary: bad },
      {
        weight: 1,
        arbitrary: badBatchRequest.filter((c) => c.what !== 'only bad events' && c.what !== 'too many events' && c.what !== 'no events'),
      },
    )
    .chain(withContentType);
}

/** An instant written as ISO 8601 is, in UTC, with an offset (`+00:00`, `-05:00`, `+05:45`), and without one. */
function isoForms(ms: number): string[] {
  const utc = new Date(ms).toISOString();
  const at = (offsetMinutes: number, suffix: string) => new Date(ms + offsetMinutes * 60_000).toISOString().replace('Z', suffix);
  return [utc, utc.replace('Z', '+00:00'), utc.slice(0, 19), at(-300, '-05:00'), at(345, '+05:45')].filter((text) => /^\d{4}-/.test(text));
}

/** `POST /events`: batches good, bad and mixed. */
export const batchCases: fc.Arbitrary<FuzzCase> = fc
  .oneof({ weight: 3, arbitrary: mixedBatch }, { weight: 2, arbitrary: badBatchRequest })
  .chain(withContentType);

function withContentType(c: FuzzCase): fc.Arbitrary<FuzzCase> {
  return fc
    .constantFrom(
      'text/plain',
      'text/plain;charset=UTF-8',
      'application/json',
      'application/json; charset=latin1',
      'application/x-www-form-urlencoded',
      'multipart/form-data; boundary=x',
      'image/png',
      'text/html',
    )
    .map((contentType) => ({ ...c, contentType }));
}

function refusal(what: string, body: string): FuzzCase {
  return { what, body, contentType: '', stored: [], refused: [], refusedWhole: true };
}

function without(event: Record<string, unknown>, key: string): Record<string, unknown> {
  const { [key]: _, ...rest } = event;
  return rest;
}

function notJson(text: string): boolean {
  try {
    JSON.parse(text);
    return false;
  } catch {
    return true;
  }
}

/** A name as the database gives it back: bytes that are not UTF-8, lone surrogates and U+0000 become U+FFFD. */
function stored(name: string): string {
  return Buffer.from(name.replaceAll(NOT_UTF8, NOT_UTF8_READ), 'utf8').toString('utf8').replaceAll('\0', '\uFFFD');
}

/** The body's bytes, with bytes that are not UTF-8 where the text marks them. */
function withNotUtf8(text: string): string | Uint8Array {
  if (!text.includes(NOT_UTF8)) return text;
  const parts = text.split(NOT_UTF8);
  const chunks: Buffer[] = [];
  parts.forEach((part, i) => {
    chunks.push(Buffer.from(part, 'utf8'));
    if (i < parts.length - 1) chunks.push(NOT_UTF8_BYTES);
  });
  return Buffer.concat(chunks);
}
