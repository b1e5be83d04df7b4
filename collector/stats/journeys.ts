import { compareValues } from '../store/storable-text.ts';
import type { KeptStore } from './kept-days.ts';
import type { StatsQuery } from './query.ts';
import { eachTrailVisit, PAGE_VIEW } from './visit-trails.ts';

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
  const length = options.length;
  // Pages are counted by a number each, given as they are met (-1: the visit began, or ended, there). A run of
  // pages is counted by a number made of theirs while each is below `base` (so that it is exact), else by their
  // numbers joined.
  const base = 2 ** Math.floor(53 / length);
  const pages: string[] = [];
  const runKey = (path: Int32Array, i: number): number | string => {
    let key = 0;
    for (let k = i; k < i + length; k++) {
      if (path[k]! >= base) return path.subarray(i, i + length).join(',');
      key = key * base + path[k]!;
    }
    return key;
  };
  const runPages = (key: number | string): number[] => {
    if (typeof key === 'string') return key.split(',').map(Number);
    const ids: number[] = [];
    for (let k = 0; k < length; k++, key = Math.floor(key / base)) ids.unshift(key % base);
    return ids;
  };
  const before = new Map<number, number>();
  const after = new Map<number, number>();
  const flows = new Map<number | string, number>();
  // A flow by a number made of its entry's and exit's, exact while each is below 2^26 (else joined).
  const flowKey = (entry: number, exit: number) => (entry < 2 ** 26 && exit < 2 ** 26 ? entry * 2 ** 26 + exit : `${entry},${exit}`);
  const flowPages = (key: number | string) =>
    typeof key === 'string' ? key.split(',').map(Number) : [Math.floor(key / 2 ** 26), key % 2 ** 26];
  const runs = new Map<number | string, number>();
  const seenBefore: number[] = [];
  const seenAfter: number[] = [];
  const seenRuns: (number | string)[] = [];
  const add = <K>(counts: Map<K, number>, key: K) => counts.set(key, (counts.get(key) ?? 0) + 1);
  // The pages asked for, by number once met (-2: not yet, and no page's number).
  const wanted = { page: -2, start: -2, end: -2 };
  await eachPath(store, q, pages, wanted, options, (path, n) => {
    add(flows, flowKey(path[0]!, path[n - 1]!));
    if (options.page !== null) {
      seenBefore.length = 0;
      seenAfter.length = 0;
      for (let i = 0; i < n; i++) {
        if (path[i] !== wanted.page) continue;
        const b = i > 0 ? path[i - 1]! : -1;
        const a = i + 1 < n ? path[i + 1]! : -1;
        if (!seenBefore.includes(b)) seenBefore.push(b);
        if (!seenAfter.includes(a)) seenAfter.push(a);
      }
      for (const b of seenBefore) add(before, b);
      for (const a of seenAfter) add(after, a);
    }
    seenRuns.length = 0;
    for (let i = 0; i + length <= n; i++) {
      if (options.startPage !== null && path[i] !== wanted.start) continue;
      if (options.endPage !== null && path[i + length - 1] !== wanted.end) continue;
      const key = runKey(path, i);
      if (seenRuns.includes(key)) continue;
      seenRuns.push(key);
      add(runs, key);
    }
  });
  const neighbours = (counts: Map<number, number>) =>
    top(
      [...counts].map(([id, visits]) => ({ page: id === -1 ? null : pages[id]!, visits })),
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
      Array.from(flows, ([key, visits]) => {
        const [entry, exit] = flowPages(key).map((id) => pages[id]!);
        return { entry: entry!, exit: exit!, visits };
      }),
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

/**
 * Calls `path` with each counted visit's path (its first `n` entries): its
 * page views' pages as numbers of `pages` (which grows as pages are met), in
 * order, a page viewed again at once counted once. Visits without a page view
 * have none. The array is reused: read it before the next call. `wanted`
 * learns the numbers of the pages the options name as they are met.
 */
async function eachPath(
  store: KeptStore,
  q: StatsQuery,
  pages: string[],
  wanted: { page: number; start: number; end: number },
  options: JourneyOptions,
  path: (path: Int32Array, n: number) => void,
): Promise<void> {
  const idOf = new Map<string, number>();
  let words: readonly string[] = [];
  // The day's words' page numbers, given when first met (-1: not yet).
  let numbers = new Int32Array(0);
  let ids = new Int32Array(64);
  const numberOf = (word: number): number => {
    const page = words[word]!;
    let id = idOf.get(page);
    if (id === undefined) {
      id = pages.length;
      pages.push(page);
      idOf.set(page, id);
      if (page === options.page) wanted.page = id;
      if (page === options.startPage) wanted.start = id;
      if (page === options.endPage) wanted.end = id;
    }
    numbers[word] = id;
    return id;
  };
  await eachTrailVisit(store, q, {
    day(trails) {
      words = trails.words;
      numbers = new Int32Array(words.length).fill(-1);
    },
    visit(v) {
      if (v.count > ids.length) ids = new Int32Array(v.count);
      let n = 0;
      for (let k = 0; k < v.count; k++) {
        const code = v.codes[k]!;
        if ((code & 1) !== PAGE_VIEW) continue;
        const known = numbers[code >> 1]!;
        const id = known === -1 ? numberOf(code >> 1) : known;
        if (n === 0 || ids[n - 1] !== id) ids[n++] = id;
      }
      if (n > 0) path(ids, n);
    },
  });
}
