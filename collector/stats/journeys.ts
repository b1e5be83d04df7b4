import { compareValues } from '../store/storable-text.ts';
import type { KeptStore } from './kept-days.ts';
import type { StatsQuery } from './query.ts';
import { forEachVisit, PAGE_VIEW, readTrails } from './visit-trails.ts';

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
  const paths = await visitPaths(store, q);
  const before = new Map<string | null, number>();
  const after = new Map<string | null, number>();
  const windows = new Map<string, { pages: string[]; visits: number }>();
  const flows = new Map<string, { entry: string; exit: string; visits: number }>();
  for (const path of paths) {
    // Stored text holds no U+0000 (storable-text.ts): it joins pages into keys.
    const flow = `${path[0]}\u0000${path.at(-1)}`;
    const f = flows.get(flow) ?? { entry: path[0]!, exit: path.at(-1)!, visits: 0 };
    f.visits++;
    flows.set(flow, f);
    if (options.page !== null) {
      const seenBefore = new Set<string | null>();
      const seenAfter = new Set<string | null>();
      path.forEach((p, i) => {
        if (p !== options.page) return;
        seenBefore.add(path[i - 1] ?? null);
        seenAfter.add(path[i + 1] ?? null);
      });
      for (const p of seenBefore) before.set(p, (before.get(p) ?? 0) + 1);
      for (const p of seenAfter) after.set(p, (after.get(p) ?? 0) + 1);
    }
    const seen = new Set<string>();
    for (let i = 0; i + options.length <= path.length; i++) {
      const pages = path.slice(i, i + options.length);
      if (options.startPage !== null && pages[0] !== options.startPage) continue;
      if (options.endPage !== null && pages.at(-1) !== options.endPage) continue;
      const key = pages.join('\u0000');
      if (seen.has(key)) continue;
      seen.add(key);
      const w = windows.get(key) ?? { pages, visits: 0 };
      w.visits++;
      windows.set(key, w);
    }
  }
  const neighbours = (counts: Map<string | null, number>) =>
    top(
      [...counts].map(([page, visits]) => ({ page, visits })),
      (a, b) => compareValues(a.page, b.page),
      options.limit,
    );
  return {
    before: neighbours(before),
    after: neighbours(after),
    paths: top([...windows.values()], (a, b) => comparePages(a.pages, b.pages), options.limit),
    flows: top([...flows.values()], (a, b) => compareValues(a.entry, b.entry) || compareValues(a.exit, b.exit), options.limit),
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

function comparePages(a: readonly string[], b: readonly string[]): number {
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    const c = compareValues(a[i]!, b[i]!);
    if (c !== 0) return c;
  }
  return a.length - b.length;
}

/** Each counted visit's path (visits without a page view have none). */
async function visitPaths(store: KeptStore, q: StatsQuery): Promise<string[][]> {
  const trails = await readTrails(store, q);
  const paths: string[][] = [];
  forEachVisit(trails, (v) => {
    const words = trails.days[v.day]!.words;
    let path: string[] | null = null;
    for (let k = 0; k < v.count; k++) {
      const code = v.codes[k]!;
      if ((code & 1) !== PAGE_VIEW) continue;
      const page = words[code >> 1]!;
      if (!path) path = [page];
      else if (path.at(-1) !== page) path.push(page);
    }
    if (path) paths.push(path);
  });
  return paths;
}
