import { createTestCollector, type TestCollector } from './test-collector.ts';
import type { GeoLocator } from '../collector/ingest/enrich/geo.ts';
import type { StoredEvent } from '../collector/store/schema.ts';
import type { StoreKind, TestDatabase } from './test-stores.ts';
import { addDays, localDay, startOfDay } from './model-calendar.ts';
import type { ModelEvent } from './model-event.ts';
import { VISIT_GAP_MS } from './model-visits.ts';
import { PLACES, type SentEvent, SCENARIO_SITES } from './invariance-scenario.ts';

/**
 * Puts generated events through a real collector (`POST /event`, the writer,
 * a real SQLite file or PostgreSQL schema) and reads back what it stored, as
 * the reference model's input.
 */

/** The scenario's sites with their zones, addresses taken from `X-Forwarded-For`, no rate limit. */
export const SCENARIO_ENV: Readonly<Record<string, string>> = {
  FOOTFALL_SITES: SCENARIO_SITES.map((s) => `${s.id};tz=${s.timeZone}`).join(','),
  RATE_LIMIT: 'off',
  TRUST_PROXY: 'true',
};

export const timeZoneOf = (siteId: string): string => SCENARIO_SITES.find((s) => s.id === siteId)?.timeZone ?? 'UTC';

const scenarioGeo: GeoLocator = (ip) => PLACES[ip] ?? { country: null, region: null, city: null };

/** The collector's clock, set by the test. */
export interface Clock {
  now: number;
}

/** A collector over `database` (a fresh one or, for a restart, one written before) with the scenario's sites. */
export function openCollector(
  kind: StoreKind,
  database: TestDatabase,
  clock: Clock,
  env: Record<string, string> = {},
): Promise<TestCollector> {
  return createTestCollector({ kind, database, env: { ...SCENARIO_ENV, ...env }, geo: scenarioGeo, now: () => clock.now });
}

/**
 * Sends one event as it happens: the collector's clock at the event's instant,
 * so that a cookieless visitor gets the id of that day (and, in the first 30
 * minutes of the site's day, the previous day's too) whenever it is delivered.
 */
export async function sendEvent(t: TestCollector, clock: Clock, e: SentEvent): Promise<void> {
  clock.now = e.ts;
  const body = { ...e.body, timestamp: new Date(e.ts).toISOString(), title: e.tag };
  const res = await t.app.request('/event', {
    method: 'POST',
    body: JSON.stringify(body),
    headers: { 'content-type': 'application/json', 'user-agent': e.userAgent, 'x-forwarded-for': e.ip },
  });
  if (res.status !== 202) throw new Error(`POST /event of ${e.tag} answered ${res.status}: ${await res.text()}`);
}

/** Every stored event of the sites, by the tag it was sent with. */
export async function readStored(t: TestCollector): Promise<Map<string, StoredEvent>> {
  await t.flush();
  const rows = await t.store.db.selectFrom('events').selectAll().execute();
  return new Map(rows.map((r) => [r.title ?? `#${r.id}`, r]));
}

/**
 * The stored events as the model reads them. The previous day's visitor id is
 * not stored: it is the stored id of the same cookieless person on the day
 * before, for an event in the first 30 minutes of the site's day.
 */
export function modelEventsOf(stored: ReadonlyMap<string, StoredEvent>, sent: readonly SentEvent[]): ModelEvent[] {
  const idOf = new Map<string, string>();
  const sentByTag = new Map(sent.map((e) => [e.tag, e]));
  for (const e of sent) {
    const row = stored.get(e.tag);
    if (row && e.person.userId === null) idOf.set(`${e.person.key}|${localDay(e.ts, timeZoneOf(e.person.site))}`, row.visitor_id);
  }
  return [...stored.values()].map((row) => {
    const e = sentByTag.get(row.title ?? '');
    let previousVisitorId: string | null = null;
    if (e && e.person.userId === null) {
      const zone = timeZoneOf(e.person.site);
      const day = localDay(e.ts, zone);
      if (e.ts - startOfDay(day, zone) < VISIT_GAP_MS) previousVisitorId = idOf.get(`${e.person.key}|${addDays(day, -1)}`) ?? null;
    }
    return { key: row.title ?? undefined, ...toModelEvent(row, previousVisitorId) };
  });
}

function toModelEvent(row: StoredEvent, previousVisitorId: string | null): ModelEvent {
  return {
    siteId: row.site_id,
    ts: Number(row.ts),
    type: row.type,
    name: row.name,
    visitorId: row.visitor_id,
    previousVisitorId,
    path: row.path,
    referrer: row.referrer,
    source: row.source,
    utm_source: row.utm_source,
    utm_medium: row.utm_medium,
    utm_campaign: row.utm_campaign,
    utm_term: row.utm_term,
    utm_content: row.utm_content,
    country: row.country,
    region: row.region,
    city: row.city,
    browser: row.browser,
    os: row.os,
    device: row.device,
    link: row.link,
    element: row.element,
    props: row.props === null ? null : (JSON.parse(row.props) as Record<string, string | number | boolean>),
    engagedMs: row.engaged_ms === null ? null : Number(row.engaged_ms),
    scrollDepth: row.scroll_depth === null ? null : Number(row.scroll_depth),
    revenue:
      row.revenue_amount === null || row.revenue_currency === null
        ? null
        : { amount: Number(row.revenue_amount), currency: row.revenue_currency },
  };
}

/**
 * What differs between two collectors' stored events, beyond ids: every
 * column of each event, and visitor ids (an event's own and the day
 * before's) that name the same people (the hashes differ with each
 * database's salts, who they group must not).
 */
export function storedDifferences(a: ReadonlyMap<string, StoredEvent>, b: ReadonlyMap<string, StoredEvent>): string[] {
  const found: string[] = [];
  const aToB = new Map<string, string>();
  const bToA = new Map<string, string>();
  for (const [tag, ra] of a) {
    const rb = b.get(tag);
    if (!rb) {
      found.push(`${tag}: stored by one collector only`);
      continue;
    }
    for (const column of Object.keys(ra) as (keyof StoredEvent)[]) {
      if (column === 'id' || column === 'visit_id' || column === 'visitor_id' || column === 'previous_visitor_id') continue;
      if (String(ra[column]) !== String(rb[column])) found.push(`${tag}.${column}: ${ra[column]} / ${rb[column]}`);
    }
    const pairs: [string, string | null, string | null][] = [
      ['visitor ids', ra.visitor_id, rb.visitor_id],
      ['previous visitor ids', ra.previous_visitor_id, rb.previous_visitor_id],
    ];
    for (const [what, idA, idB] of pairs) {
      if (idA === null || idB === null) {
        if (idA !== idB) found.push(`${tag}.previous_visitor_id: ${idA} / ${idB}`);
        continue;
      }
      if ((aToB.get(idA) ?? idB) !== idB || (bToA.get(idB) ?? idA) !== idA) found.push(`${tag}: ${what} group other events`);
      aToB.set(idA, idB);
      bToA.set(idB, idA);
    }
  }
  for (const tag of b.keys()) if (!a.has(tag)) found.push(`${tag}: stored by one collector only`);
  return found;
}

/** A read request: a GET path with its query, or `POST /reports` with a body. */
export interface ReadRequest {
  readonly path: string;
  readonly body?: Record<string, unknown>;
}

/** The collector's answer as JSON, or its status and text when it is not a 200. */
export async function ask(t: TestCollector, request: ReadRequest): Promise<unknown> {
  const res = request.body
    ? await t.app.request(request.path, {
        method: 'POST',
        body: JSON.stringify(request.body),
        headers: { 'content-type': 'application/json' },
      })
    : await t.app.request(request.path);
  const text = await res.text();
  return res.status === 200 ? JSON.parse(text) : { status: res.status, text };
}

export const describeRequest = (r: ReadRequest): string => (r.body ? `POST ${r.path} ${JSON.stringify(r.body)}` : `GET ${r.path}`);

/**
 * An event written by hand: `who` is a user id, or with `cookieless` a person
 * whose visitor id is the hash of an address and browser of its own.
 */
export function handEvent(
  tag: string,
  site: string,
  who: string,
  at: string,
  body: Record<string, unknown>,
  options: { cookieless?: boolean } = {},
): SentEvent {
  const ip = Object.keys(PLACES)[[...who].reduce((sum, c) => sum + c.charCodeAt(0), 0) % Object.keys(PLACES).length]!;
  const userAgent = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36';
  const person = { key: `${site}-${who}`, site, userId: options.cookieless ? null : who, ip, userAgent };
  const user = person.userId ? { user_id: person.userId } : {};
  return {
    tag,
    person,
    ts: Date.parse(at),
    ip,
    userAgent,
    body: { site_id: site, event_type: 'pageview', url: `https://${site}.example/`, ...user, ...body },
  };
}
