import Database from 'better-sqlite3';
import { expect, type Page } from '@playwright/test';

/** An event as the collector stored it, the fields the scenarios look at. */
export interface StoredEvent {
  id: number;
  type: string;
  name: string;
  path: string | null;
  hostname: string | null;
  referrer: string | null;
  link: string | null;
  element: string | null;
  props: Record<string, unknown> | null;
  revenue_amount: number | null;
  revenue_currency: string | null;
  engaged_ms: number | null;
  scroll_depth: number | null;
}

/** What an expected or refuted event looks like: some fields, each equal (props deeply) or matching a RegExp or predicate. */
export type EventMatcher = { [K in keyof StoredEvent]?: StoredEvent[K] | RegExp | ((value: StoredEvent[K]) => boolean) };

/** Every event in the collector's database, oldest first. */
export function readEvents(databasePath: string): StoredEvent[] {
  const db = new Database(databasePath, { readonly: true, fileMustExist: true });
  try {
    const rows = db
      .prepare(
        'SELECT id, type, name, path, hostname, referrer, link, element, props, revenue_amount, revenue_currency, engaged_ms, scroll_depth FROM events ORDER BY id',
      )
      .all() as (Omit<StoredEvent, 'props'> & { props: string | null })[];
    return rows.map((row) => ({ ...row, props: row.props ? (JSON.parse(row.props) as Record<string, unknown>) : null }));
  } finally {
    db.close();
  }
}

export function matches(event: StoredEvent, matcher: EventMatcher): boolean {
  return Object.entries(matcher).every(([key, want]) => {
    const value = event[key as keyof StoredEvent];
    if (want instanceof RegExp) return typeof value === 'string' && want.test(value);
    if (typeof want === 'function') return (want as (v: unknown) => boolean)(value);
    if (want !== null && typeof want === 'object') return JSON.stringify(value) === JSON.stringify(want);
    return value === want;
  });
}

export interface EventExpectations {
  /** Events the action must have stored, one stored event for each matcher. */
  expect?: EventMatcher[];
  /** Events it must not have stored; checked once a later event has arrived. */
  refute?: EventMatcher[];
}

let syncs = 0;

/**
 * Runs an action in the page and checks what reached the collector's database:
 * each expected event (a stored event apiece), and none of the refuted ones.
 * To refute, it records a custom event `Sync` after the action and waits for
 * it: the tracker sends in order, so whatever the action recorded arrived first.
 */
export async function expectEvents(
  page: Page,
  databasePath: string,
  action: () => Promise<unknown>,
  want: EventExpectations,
): Promise<StoredEvent[]> {
  const before = lastId(databasePath);
  await action();
  const sync = ++syncs;
  if (want.refute?.length) await page.evaluate((n) => window.footfall?.('Sync', { props: { n } }), sync);
  let fresh: StoredEvent[] = [];
  await expect
    .poll(
      () => {
        fresh = readEvents(databasePath).filter((e) => e.id > before);
        const synced = !want.refute?.length || fresh.some((e) => e.name === 'Sync' && e.props?.n === sync);
        return synced && unmatched(fresh, want.expect ?? []).length === 0;
      },
      { timeout: 10_000, message: `expected events ${JSON.stringify(want.expect)}` },
    )
    .toBe(true)
    .catch((error: Error) => {
      throw new Error(`${error.message}\nstored: ${JSON.stringify(fresh, null, 1)}`);
    });
  const events = fresh.filter((e) => !(e.name === 'Sync' && e.props?.n === sync));
  for (const matcher of want.refute ?? []) {
    expect(
      events.filter((e) => matches(e, matcher)),
      `refuted ${JSON.stringify(matcher)}`,
    ).toEqual([]);
  }
  return events;
}

/** The matchers no stored event answers, each event answering at most one. */
function unmatched(events: StoredEvent[], matchers: EventMatcher[]): EventMatcher[] {
  const used = new Set<number>();
  return matchers.filter((matcher) => {
    const found = events.find((e) => !used.has(e.id) && matches(e, matcher));
    if (found) used.add(found.id);
    return !found;
  });
}

function lastId(databasePath: string): number {
  return readEvents(databasePath).at(-1)?.id ?? 0;
}
