import { type Clause, countedOf, countersOf, propText, type Question, type SiteData } from './model-counting.ts';
import type { ModelEvent } from './model-event.ts';
import { fromMicros, roundRatio, toMicros } from './model-numbers.ts';
import type { ModelVisit } from './model-visits.ts';

/**
 * The reference model's goals, funnels and journeys, from docs/counting.md
 * ("Goals", "Funnels and journeys") and docs/goals.md. Slow on purpose: every
 * answer is searched for from the events.
 */

export interface ModelGoal {
  readonly name: string;
  readonly page?: string;
  readonly event?: string;
  readonly property?: { readonly key: string; readonly value: string };
}

/** `*` is any run of characters, everything else itself: matched by walking the pattern's parts. */
export function pathMatches(path: string, pattern: string): boolean {
  const parts = pattern.split('*');
  if (parts.length === 1) return path === pattern;
  if (!path.startsWith(parts[0]!) || !path.endsWith(parts.at(-1)!)) return false;
  if (parts[0]!.length + parts.at(-1)!.length > path.length) return false;
  let at = parts[0]!.length;
  const end = path.length - parts.at(-1)!.length;
  for (const part of parts.slice(1, -1)) {
    const found = path.indexOf(part, at);
    if (found === -1 || found + part.length > end) return false;
    at = found + part.length;
  }
  return true;
}

export function completes(e: ModelEvent, g: ModelGoal): boolean {
  const own =
    g.page !== undefined
      ? e.type === 'pageview' && e.path !== null && pathMatches(e.path, g.page)
      : e.type !== 'pageview' && e.type !== 'engagement' && e.name === g.event;
  if (!own || !g.property) return own;
  const props = e.props;
  return props !== null && Object.hasOwn(props, g.property.key) && propText(props[g.property.key]!) === g.property.value;
}

const asciiLower = (s: string) => s.replace(/[A-Z]/g, (c) => c.toLowerCase());

/** Whether an event satisfies a `goal` clause, given the site's goals. */
export function goalClauseHolds(e: ModelEvent, clause: Clause, goals: readonly ModelGoal[]): boolean {
  const any = (list: readonly ModelGoal[]) => list.some((g) => completes(e, g));
  if (clause.value === null) {
    // Reading: `goal==` is "completes none", `goal!=` "completes some", `goal~` (no part) matches nothing.
    if (clause.op === '~') return false;
    return clause.op === '==' ? !any(goals) : any(goals);
  }
  if (clause.op === '~') return any(goals.filter((g) => asciiLower(g.name).includes(asciiLower(clause.value!))));
  const named = goals.filter((g) => g.name === clause.value);
  return clause.op === '==' ? any(named) : !any(named);
}

const compareBytes = (a: string | null, b: string | null) =>
  a === b ? 0 : a === null ? -1 : b === null ? 1 : Buffer.compare(Buffer.from(a), Buffer.from(b));

/** `by=goal` rows: each goal's numbers are those of the question with `goal==NAME` added. */
export function goalRows(s: SiteData, q: Question, goals: readonly ModelGoal[]) {
  const counted = countedOf(s, q);
  const total = countersOf(s, counted.events, counted.visits).visitors;
  return goals
    .map((g) => {
      const { events, visits } = countedOf(s, { ...q, clauses: [...q.clauses, { dim: 'goal', op: '==', value: g.name }] });
      const c = countersOf(s, events, visits);
      const revenue = new Map<string, bigint>();
      for (const e of events)
        if (e.revenue) revenue.set(e.revenue.currency, (revenue.get(e.revenue.currency) ?? 0n) + toMicros(e.revenue.amount));
      return {
        value: g.name,
        visitors: c.visitors,
        events: events.length,
        conversion_rate: total === 0 ? 0 : roundRatio(BigInt(c.visitors) * 100n, BigInt(total), 1),
        revenue: Object.fromEntries([...revenue].sort(([a], [b]) => compareBytes(a, b)).map(([k, v]) => [k, fromMicros(v)])),
      };
    })
    .filter((r) => r.events > 0)
    .sort((a, b) => b.visitors - a.visitors || compareBytes(a.value, b.value));
}

/** The furthest step a visit reaches: distinct events completing steps 1..k at non-decreasing instants (searched exhaustively). */
function reach(events: readonly ModelEvent[], steps: readonly ModelGoal[]): number {
  let best = 0;
  const search = (k: number, since: number, used: Set<ModelEvent>) => {
    best = Math.max(best, k);
    if (k === steps.length || best === steps.length) return;
    for (const e of events) {
      if (e.ts < since || used.has(e) || !completes(e, steps[k]!)) continue;
      used.add(e);
      search(k + 1, e.ts, used);
      used.delete(e);
    }
  };
  search(0, -Infinity, new Set());
  return best;
}

export function funnelSteps(s: SiteData, q: Question | null, steps: readonly ModelGoal[]) {
  const reached = steps.map(() => new Set<string>());
  for (const v of q ? countedOf(s, q).visits : []) {
    const depth = reach(v.events, steps);
    for (let k = 0; k < depth; k++) reached[k]!.add(`${s.dayOf(v.start)}\u0000${v.events[0]!.visitorId}`);
  }
  const n = reached.map((r) => r.size);
  const pct = (a: number, b: number) => (b === 0 ? 0 : roundRatio(BigInt(a) * 100n, BigInt(b), 1));
  return steps.map((g, k) => ({
    goal: g.name,
    visitors: n[k]!,
    conversion_rate: pct(n[k]!, n[0]!),
    step_conversion_rate: k === 0 ? pct(n[0]!, n[0]!) : pct(n[k]!, n[k - 1]!),
    dropoff: k === 0 ? 0 : n[k - 1]! - n[k]!,
  }));
}

/** A visit's pages in time order (ties by page), a page right after itself dropped. */
function pathOf(v: ModelVisit): string[] {
  const views = v.events
    .filter((e) => e.type === 'pageview' && e.path !== null)
    .sort((a, b) => a.ts - b.ts || compareBytes(a.path, b.path));
  const path: string[] = [];
  for (const e of views) if (path.at(-1) !== e.path) path.push(e.path!);
  return path;
}

export interface JourneyAsk {
  readonly page: string | null;
  readonly length: number;
  readonly startPage: string | null;
  readonly endPage: string | null;
  readonly limit: number;
}

export function journeyLists(s: SiteData, q: Question | null, ask: JourneyAsk) {
  const paths = (q ? countedOf(s, q).visits : []).map(pathOf).filter((p) => p.length > 0);
  const countVisits = <K>(keysOf: (path: string[]) => K[], id: (k: K) => string) => {
    const counts = new Map<string, { key: K; visits: number }>();
    for (const path of paths) {
      const seen = new Set<string>();
      for (const key of keysOf(path)) {
        if (seen.has(id(key))) continue;
        seen.add(id(key));
        const c = counts.get(id(key)) ?? { key, visits: 0 };
        c.visits++;
        counts.set(id(key), c);
      }
    }
    return [...counts.values()];
  };
  const around = (offset: number) =>
    countVisits(
      (path) => path.flatMap((p, i) => (p === ask.page ? [path[i + offset] ?? null] : [])),
      (k) => JSON.stringify(k),
    )
      .map(({ key, visits }) => ({ page: key, visits }))
      .sort((a, b) => b.visits - a.visits || compareBytes(a.page, b.page))
      .slice(0, ask.limit);
  const windows = countVisits(
    (path) =>
      path
        .map((_, i) => path.slice(i, i + ask.length))
        .filter((w) => w.length === ask.length)
        .filter((w) => (ask.startPage === null || w[0] === ask.startPage) && (ask.endPage === null || w.at(-1) === ask.endPage)),
    (k) => JSON.stringify(k),
  )
    .map(({ key, visits }) => ({ pages: key, visits }))
    .sort((a, b) => b.visits - a.visits || comparePaths(a.pages, b.pages))
    .slice(0, ask.limit);
  const flows = countVisits(
    (path) => [[path[0]!, path.at(-1)!] as const],
    (k) => JSON.stringify(k),
  )
    .map(({ key, visits }) => ({ entry: key[0], exit: key[1], visits }))
    .sort((a, b) => b.visits - a.visits || compareBytes(a.entry, b.entry) || compareBytes(a.exit, b.exit))
    .slice(0, ask.limit);
  return { before: ask.page === null ? [] : around(-1), after: ask.page === null ? [] : around(1), paths: windows, flows };
}

function comparePaths(a: readonly string[], b: readonly string[]): number {
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    const c = compareBytes(a[i]!, b[i]!);
    if (c !== 0) return c;
  }
  return a.length - b.length;
}
