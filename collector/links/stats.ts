import { type ExpressionBuilder, type Kysely, sql } from 'kysely';
import { dataSpans } from '../stats/raw.ts';
import type { Database } from '../store/schema.ts';
import { type Dialect, localDay, propValue } from '../store/sql-helpers.ts';
import { dayDate, firstDayOfMonth, floorMod, monthOfDay, startOfDay } from '../timezone.ts';
import { LINK_CODE_PROP, TRACKED } from './click-event.ts';
import { listLinks, type StoredLink } from './repository.ts';
import { type Counted, LINK_KINDS, type LinkKind, type LinkStats, type LinkStatsResponse, type TopLink } from './schemas.ts';

/*
 * Clicks per link, read from the raw click events: tracked links (`/l/CODE`,
 * element `tracked`, the code in a property) and the site's own links that the
 * tracker saw clicked (element `outbound` or `download`), side by side. Unique
 * clicks are visitors counted once a day, as every visitor number is: those of
 * several days are the sum of each day's.
 */

type Db = Kysely<Database>;

export interface LinkStatsQuery {
  readonly siteId: string;
  readonly timeZone: string;
  /** Local days of the range asked for, inclusive; null: no range (no data at all). */
  readonly range: { readonly from: number; readonly to: number } | null;
  /** Today, the site's local day. */
  readonly today: number;
}

interface Window {
  readonly from: number;
  readonly to: number;
}

/** What `linkStats` answers: the route adds the site and the range. */
export type LinkStatsAnswer = Omit<LinkStatsResponse, 'site_id' | 'range'>;

const TOP = 5;
type Refs = ExpressionBuilder<Database, 'events'>;

/** A click's link key: a tracked link's code, else the link's URL. */
const linkKey = (dialect: Dialect, eb: Refs) =>
  sql<
    string | null
  >`(case when ${eb.ref('element')} = ${TRACKED} then ${propValue(dialect, eb.ref('props'), LINK_CODE_PROP)} else ${eb.ref('link')} end)`;

/** The Monday-to-today week and the month to date of a local day. */
export function windowsOf(today: number): { today: Window; week: Window; month: Window } {
  // Day 0, 1970-01-01, was a Thursday.
  const monday = today - floorMod(today + 3, 7);
  return {
    today: { from: today, to: today },
    week: { from: monday, to: today },
    month: { from: firstDayOfMonth(monthOfDay(today)), to: today },
  };
}

/** Each link's clicks today, this week, this month and in the range, with its top countries, referrers and timeline. */
export async function linkStats(
  db: Db,
  dialect: Dialect,
  q: LinkStatsQuery,
  options: { kind?: LinkKind; limit: number },
): Promise<LinkStatsAnswer> {
  const windows = windowsOf(q.today);
  const days = [windows.today, windows.week, windows.month, ...(q.range ? [q.range] : [])];
  const lo = Math.min(...days.map((d) => d.from));
  const hi = Math.max(...days.map((d) => d.to));
  const from = startOfDay(lo, q.timeZone);
  const to = startOfDay(hi + 1, q.timeZone);
  const spans = await dataSpans({ db, dialect }, q.siteId, q.timeZone, from, to);
  const kinds = options.kind ? [options.kind] : LINK_KINDS;

  const clicks = (start: number, end: number) =>
    db
      .selectFrom('events')
      .where('site_id', '=', q.siteId)
      .where('ts', '>=', start)
      .where('ts', '<', end)
      .where('type', '=', 'click')
      .where('element', 'in', kinds);

  const daily = await clicks(from, to)
    .select((eb) => [
      linkKey(dialect, eb).as('k'),
      'element',
      localDay(eb.ref('ts'), spans).as('day'),
      sql<number>`count(*)`.as('n'),
      sql<number>`count(distinct visitor_id)`.as('u'),
    ])
    .groupBy(['k', 'element', 'day'])
    .execute();

  const entries = new Map<string, Entry>();
  const entry = (kind: string, key: string) => {
    const id = `${kind}\0${key}`;
    let e = entries.get(id);
    if (!e) entries.set(id, (e = { kind: kind as LinkKind, key, days: new Map(), countries: [], referrers: [] }));
    return e;
  };
  for (const row of daily) {
    if (row.k === null || row.element === null) continue;
    entry(row.element, row.k).days.set(Number(row.day), { n: Number(row.n), u: Number(row.u) });
  }

  if (q.range) {
    const rangeFrom = startOfDay(q.range.from, q.timeZone);
    const rangeTo = startOfDay(q.range.to + 1, q.timeZone);
    const [countries, referrers] = await Promise.all([
      clicks(rangeFrom, rangeTo)
        .select((eb) => [linkKey(dialect, eb).as('k'), 'element', 'country as v', sql<number>`count(*)`.as('n')])
        .groupBy(['k', 'element', 'v'])
        .execute(),
      clicks(rangeFrom, rangeTo)
        .select((eb) => [
          linkKey(dialect, eb).as('k'),
          'element',
          sql<string>`(case when ${eb.ref('element')} = ${TRACKED} then ${eb.ref('referrer')} else coalesce(${eb.ref('hostname')}, '') || coalesce(${eb.ref('path')}, '') end)`.as(
            'v',
          ),
          sql<number>`count(*)`.as('n'),
        ])
        .groupBy(['k', 'element', 'v'])
        .execute(),
    ]);
    for (const row of countries)
      if (row.k !== null && row.element !== null) entry(row.element, row.k).countries.push({ value: row.v, clicks: Number(row.n) });
    for (const row of referrers)
      if (row.k !== null && row.element !== null) entry(row.element, row.k).referrers.push({ value: row.v || null, clicks: Number(row.n) });
  }

  const tracked = kinds.includes('tracked') ? await listLinks(db, q.siteId, { removed: true }) : [];
  const byCode = new Map(tracked.map((l) => [l.code, l]));
  // Live links show with no clicks too; removed ones only with clicks to show.
  for (const link of tracked) if (link.removed_at === null) entry('tracked', link.code);

  const links = [...entries.values()]
    .filter((e) => e.kind !== 'tracked' || byCode.has(e.key))
    .map((e) => describeLink(e, e.kind === 'tracked' ? byCode.get(e.key)! : null, windows, q.range))
    .sort(
      (a, b) =>
        b.clicks.range - a.clicks.range ||
        b.clicks.month - a.clicks.month ||
        LINK_KINDS.indexOf(a.kind) - LINK_KINDS.indexOf(b.kind) ||
        a.target_url.localeCompare(b.target_url),
    )
    .slice(0, options.limit);
  const shown = (w: Window) => ({ from: dayDate(w.from), to: dayDate(w.to) });
  return { windows: { today: shown(windows.today), week: shown(windows.week), month: shown(windows.month) }, links };
}

interface Entry {
  readonly kind: LinkKind;
  readonly key: string;
  readonly days: Map<number, { n: number; u: number }>;
  readonly countries: { value: string | null; clicks: number }[];
  readonly referrers: { value: string | null; clicks: number }[];
}

function describeLink(e: Entry, link: StoredLink | null, windows: ReturnType<typeof windowsOf>, range: Window | null): LinkStats {
  const sum = (w: Window | null, field: 'n' | 'u') => {
    let total = 0;
    if (w) for (const [day, c] of e.days) if (day >= w.from && day <= w.to) total += c[field];
    return total;
  };
  const counted = (field: 'n' | 'u'): Counted => ({
    today: sum(windows.today, field),
    week: sum(windows.week, field),
    month: sum(windows.month, field),
    range: sum(range, field),
  });
  const timeline = [];
  if (range) {
    for (let day = range.from; day <= range.to; day++) {
      const c = e.days.get(day);
      timeline.push({ date: dayDate(day), clicks: c?.n ?? 0, unique_clicks: c?.u ?? 0 });
    }
  }
  return {
    kind: e.kind,
    code: link?.code ?? null,
    title: link?.title ?? null,
    target_url: link?.target_url ?? e.key,
    profile: link?.profile ?? null,
    removed: link !== null && link.removed_at !== null,
    clicks: counted('n'),
    unique_clicks: counted('u'),
    top_countries: top(e.countries),
    top_referrers: top(e.referrers),
    timeline,
  };
}

function top(list: { value: string | null; clicks: number }[]) {
  return [...list].sort((a, b) => b.clicks - a.clicks || String(a.value).localeCompare(String(b.value))).slice(0, TOP);
}

/** The most clicked links of every site over `[from, to)` (epoch ms; UTC days), tracked and the sites' own. */
export async function topLinks(
  db: Db,
  dialect: Dialect,
  from: number,
  to: number,
  options: { kind?: LinkKind; limit: number },
): Promise<TopLink[]> {
  const perVisitorDay = db
    .selectFrom('events')
    .where('ts', '>=', from)
    .where('ts', '<', to)
    .where('type', '=', 'click')
    .where('element', 'in', options.kind ? [options.kind] : LINK_KINDS)
    .select((eb) => [
      'site_id',
      linkKey(dialect, eb).as('k'),
      'element',
      localDay(eb.ref('ts'), [{ from, to, offset: 0 }]).as('day'),
      'visitor_id',
      sql<number>`count(*)`.as('n'),
    ])
    .groupBy(['site_id', 'k', 'element', 'day', 'visitor_id']);
  const rows = await db
    .selectFrom(perVisitorDay.as('t'))
    .where('t.k', 'is not', null)
    .select(['t.site_id', 't.k', 't.element', sql<number>`sum(t.n)`.as('clicks'), sql<number>`count(*)`.as('uniques')])
    .groupBy(['t.site_id', 't.k', 't.element'])
    .orderBy('clicks', 'desc')
    .orderBy('t.site_id')
    .orderBy('t.k')
    .limit(options.limit)
    .execute();
  const codes = rows.filter((r) => r.element === TRACKED).map((r) => r.k!);
  const links = codes.length === 0 ? [] : await db.selectFrom('links').selectAll().where('code', 'in', codes).execute();
  const byCode = new Map(links.map((l) => [l.code, l]));
  return rows.map((r) => {
    const link = r.element === TRACKED ? byCode.get(r.k!) : undefined;
    return {
      site_id: r.site_id,
      kind: r.element as LinkKind,
      code: r.element === TRACKED ? r.k : null,
      title: link?.title ?? null,
      target_url: link?.target_url ?? r.k!,
      clicks: Number(r.clicks),
      unique_clicks: Number(r.uniques),
    };
  });
}
