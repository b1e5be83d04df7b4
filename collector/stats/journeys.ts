import { compareValues } from '../store/storable-text.ts';
import type { KeptStore } from './kept-days.ts';
import type { StatsQuery } from './query.ts';
import { forEachVisit, PAGE_VIEW, readTrails, type Trails } from './visit-trails.ts';

export interface JourneyOptions {
  /** The page whose neighbours are asked for. */
  readonly page: string | null;
  /** Pages in a path, 2 to 5. */
  readonly length: number;
  /** Only paths that start, or end, at this page. */
  readonly startPage: string | null;
  readonly endPage: string | null;
  /** Rows of each list. */
  readonly limit: number;
}

type Ranked = { readonly visits: number };

/**
 * Journeys through a site, over the visits that visit numbers count
 * (started in the range, matching the filters). A visit's path is its page
 * views' pages in time order (at one instant, by page in byte order), a page
 * viewed again at once (a reload) counted once. Every list counts visits:
 * one that passes the same way twice counts once.
 */
export async function journeys(store: KeptStore, q: StatsQuery, options: JourneyOptions) {
  const trails = await readTrails(store, q);
  const pages = pagesOf(trails);
  const idOf = new Map(pages.map((p, i) => [p, i]));
  // A page no visit viewed matches nothing: -2 is no page's number.
  const page = options.page === null ? null : (idOf.get(options.page) ?? -2);
  const startPage = options.startPage === null ? null : (idOf.get(options.startPage) ?? -2);
  const endPage = options.endPage === null ? null : (idOf.get(options.endPage) ?? -2);
  const length = options.length;
  // Pages are counted by number (`size - 1`: the visit began, or ended, there), runs by a number made of their
  // pages' (while pages are few enough for it to be exact), else by their numbers joined.
  const size = pages.length + 1;
  const exact = size ** length <= Number.MAX_SAFE_INTEGER;
  const runKey = (path: Int32Array, i: number): number | string => {
    if (!exact) return path.subarray(i, i + length).join(',');
    let key = 0;
    for (let k = i; k < i + length; k++) key = key * size + path[k]!;
    return key;
  };
  const runPages = (key: number | string): number[] => {
    if (typeof key === 'string') return key.split(',').map(Number);
    const ids: number[] = [];
    for (let k = 0; k < length; k++, key = Math.floor(key / size)) ids.unshift(key % size);
    return ids;
  };
  // Per page number (the last: none), visits that viewed it just before, or after, the page asked.
  const before = new Int32Array(size);
  const after = new Int32Array(size);
  const flows = new Map<number, number>();
  const runs = new Map<number | string, number>();
  const seenBefore: number[] = [];
  const seenAfter: number[] = [];
  const seenRuns: (number | string)[] = [];
  const none = size - 1;
  eachPath(trails, pages, (path, n) => {
    const flow = path[0]! * size + path[n - 1]!;
    flows.set(flow, (flows.get(flow) ?? 0) + 1);
    if (page !== null) {
      seenBefore.length = 0;
      seenAfter.length = 0;
      for (let i = 0; i < n; i++) {
        if (path[i] !== page) continue;
        const b = i > 0 ? path[i - 1]! : none;
        const a = i + 1 < n ? path[i + 1]! : none;
        if (!seenBefore.includes(b)) seenBefore.push(b);
        if (!seenAfter.includes(a)) seenAfter.push(a);
      }
      for (const b of seenBefore) before[b]! += 1;
      for (const a of seenAfter) after[a]! += 1;
    }
    seenRuns.length = 0;
    for (let i = 0; i + length <= n; i++) {
      if (startPage !== null && path[i] !== startPage) continue;
      if (endPage !== null && path[i + length - 1] !== endPage) continue;
      const key = runKey(path, i);
      if (seenRuns.includes(key)) continue;
      seenRuns.push(key);
      runs.set(key, (runs.get(key) ?? 0) + 1);
    }
  });
  const counted = (counts: Int32Array) => [...counts.keys()].filter((id) => counts[id]! > 0);
  const neighbours = (counts: Int32Array) =>
    top(
      counted(counts).map((id) => ({ page: id === none ? null : pages[id]!, visits: counts[id]! })),
      (a, b) => compareValues(a.page, b.page),
      options.limit,
    );
  return {
    before: neighbours(before),
    after: neighbours(after),
    // Ranked by their pages' numbers, named once among the first.
    paths: top(
      Array.from(runs, ([key, visits]) => ({ key, visits })),
      (a, b) => comparePages(runPages(a.key), runPages(b.key), pages),
      options.limit,
    ).map((r) => ({ pages: runPages(r.key).map((id) => pages[id]!), visits: r.visits })),
    flows: top(
      [...flows].map(([key, visits]) => ({ entry: pages[Math.floor(key / size)]!, exit: pages[key % size]!, visits })),
      (a, b) => compareValues(a.entry, b.entry) || compareValues(a.exit, b.exit),
      options.limit,
    ),
  };
}

/** Most visits first, then by `tie`; the first `limit`. */
function top<T extends Ranked>(rows: T[], tie: (a: T, b: T) => number, limit: number): T[] {
  // Only rows with as many visits as the limit-th most can be among the first: the rest need no order.
  if (rows.length > limit) {
    const least = Float64Array.from(rows, (r) => r.visits).sort()[rows.length - limit]!;
    rows = rows.filter((r) => r.visits >= least);
  }
  return rows.sort((a, b) => b.visits - a.visits || tie(a, b)).slice(0, limit);
}

function comparePages(a: readonly number[], b: readonly number[], pages: readonly string[]): number {
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    const c = compareValues(pages[a[i]!]!, pages[b[i]!]!);
    if (c !== 0) return c;
  }
  return a.length - b.length;
}

/** Every page the trails' page views name, each once. */
function pagesOf(trails: Trails): string[] {
  const pages = new Set<string>();
  for (const day of trails.days) for (const word of day.words) pages.add(word);
  return [...pages];
}

/**
 * Calls `path` with each counted visit's path (its first `n` entries): its
 * page views' pages as numbers of `pages`, in order, a page viewed again at
 * once counted once. Visits without a page view have none. The array is
 * reused: read it before the next call.
 */
function eachPath(trails: Trails, pages: readonly string[], path: (path: Int32Array, n: number) => void): void {
  const idOf = new Map(pages.map((p, i) => [p, i]));
  const numbers = trails.days.map((day) => Int32Array.from(day.words, (word) => idOf.get(word) ?? -1));
  let ids = new Int32Array(64);
  forEachVisit(trails, (v) => {
    const of = numbers[v.day]!;
    if (v.count > ids.length) ids = new Int32Array(v.count);
    let n = 0;
    for (let k = 0; k < v.count; k++) {
      const code = v.codes[k]!;
      if ((code & 1) !== PAGE_VIEW) continue;
      const id = of[code >> 1]!;
      if (n === 0 || ids[n - 1] !== id) ids[n++] = id;
    }
    if (n > 0) path(ids, n);
  });
}
