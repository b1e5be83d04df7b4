import { VISIT_GAP_MS } from './visits.ts';

/*
 * Visits from the set of events. Two events of a site are linked when they
 * share a visitor id (see visitorIdsOf) and lie at most 30 minutes apart; a
 * visit is a group of events linked to each other, directly or through
 * others. Whatever order events come in, the groups are the same.
 *
 * To find what a new event links to without reading every event, events are
 * kept as runs: per visitor id, the spans of its events with no gap over 30
 * minutes. Runs of one id never lie within 30 minutes of each other (they
 * would be one), so the runs a new event at `t` links to are exactly those
 * overlapping [t - 30 min, t + 30 min] — at most two, which it joins into one.
 * Each run belongs to a visit; a run an event joins brings its visit into the
 * event's group. This file knows no SQL: the writer loads the stored runs near
 * a batch, the rebuild feeds every event in time order.
 */

/** A group of linked events and stored visits (a union-find node; its root holds the group). */
export interface Group<E> {
  parent: Group<E> | null;
  size: number;
  /** Ids of the stored visits in the group. */
  stored: number[];
  /** The new events of the group, in the order they were linked. */
  items: E[];
  /** The visitor ids (site-qualified keys) its runs belong to. */
  keys: Set<string>;
  /** The latest event time of the group. */
  end: number;
}

/** A stored run, as the database keys it. */
export interface StoredRun {
  readonly key: string;
  readonly start: number;
  readonly end: number;
  readonly visitId: number;
}

/** A run as it ends up after linking. */
export interface Run<E> {
  readonly key: string;
  start: number;
  end: number;
  group: Group<E>;
  /** The stored run it continues with the same start (updated in place), or null (inserted). */
  origin: StoredRun | null;
}

/** The root of a group. */
export function rootOf<E>(group: Group<E>): Group<E> {
  let root = group;
  while (root.parent) root = root.parent;
  // Path halving keeps later finds short.
  let node = group;
  while (node.parent && node.parent !== root) {
    const next: Group<E> = node.parent;
    node.parent = root;
    node = next;
  }
  return root;
}

const newGroup = <E>(end: number): Group<E> => ({ parent: null, size: 1, stored: [], items: [], keys: new Set(), end });

/** Joins two groups; returns the root of the union. */
function unite<E>(a: Group<E>, b: Group<E>, open: Set<Group<E>>): Group<E> {
  let x = rootOf(a);
  let y = rootOf(b);
  if (x === y) return x;
  if (x.size < y.size) [x, y] = [y, x];
  y.parent = x;
  x.size += y.size;
  for (const id of y.stored) x.stored.push(id);
  for (const item of y.items) x.items.push(item);
  for (const key of y.keys) x.keys.add(key);
  if (y.end > x.end) x.end = y.end;
  y.stored = [];
  y.items = [];
  y.keys = new Set();
  open.delete(y);
  return x;
}

/** Links events (`E` is whatever the caller places: a batch row's index, a stored event) into groups. */
export class VisitLinker<E> {
  /** Per key, its runs in time order. */
  readonly #runs = new Map<string, Run<E>[]>();
  readonly #storedGroups = new Map<number, Group<E>>();
  /** Roots of the groups made so far. */
  readonly #open = new Set<Group<E>>();
  /** Stored runs that no run continues: joined into another, or their start moved. */
  readonly replaced: StoredRun[] = [];

  /** A stored run, found near the events to link; its visit becomes a group. */
  addStored(run: StoredRun): void {
    let group = this.#storedGroups.get(run.visitId);
    if (!group) {
      group = newGroup<E>(run.end);
      group.stored.push(run.visitId);
      this.#storedGroups.set(run.visitId, group);
      this.#open.add(group);
    }
    const root = rootOf(group);
    root.keys.add(run.key);
    if (run.end > root.end) root.end = run.end;
    const list = this.#list(run.key);
    const at = list.findIndex((r) => r.start > run.start);
    list.splice(at === -1 ? list.length : at, 0, { key: run.key, start: run.start, end: run.end, group, origin: run });
  }

  /** Links one event carrying `keys` at `ts`; returns its group's root. */
  link(keys: readonly string[], ts: number, item: E): Group<E> {
    let group = newGroup<E>(ts);
    group.items.push(item);
    this.#open.add(group);
    for (const key of keys) {
      group.keys.add(key);
      const list = this.#list(key);
      // Runs end in time order too (they never overlap): the first ending at or after ts - 30 min is the first that can overlap.
      let lo = 0;
      let hi = list.length;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (list[mid]!.end < ts - VISIT_GAP_MS) lo = mid + 1;
        else hi = mid;
      }
      let last = lo;
      while (last < list.length && list[last]!.start <= ts + VISIT_GAP_MS) last++;
      const joined = list.slice(lo, last);
      const run: Run<E> = { key, start: ts, end: ts, group, origin: null };
      // The earliest joined run starts the new one (and what it continues, it continues), unless the event comes first.
      const first = joined[0];
      if (first && first.start <= ts) {
        run.start = first.start;
        run.origin = first.origin;
      }
      for (const other of joined) {
        group = unite(group, other.group, this.#open);
        if (other.end > run.end) run.end = other.end;
        if (other.origin && other.origin !== run.origin) this.replaced.push(other.origin);
      }
      run.group = group;
      list.splice(lo, last - lo, run);
    }
    const root = rootOf(group);
    if (ts > root.end) root.end = ts;
    return root;
  }

  /** Every group with new events, by root. */
  groups(): Group<E>[] {
    return [...this.#open].filter((g) => g.items.length > 0);
  }

  /** Every run of the keys linked so far, with its group's root. */
  *runs(): Generator<Run<E>> {
    for (const list of this.#runs.values()) {
      for (const run of list) {
        run.group = rootOf(run.group);
        yield run;
      }
    }
  }

  /**
   * Takes out the groups that no event at `ts` or later can join (their last
   * event more than 30 minutes before it), with their runs: for a walk over
   * events in time order, which then holds only the visits still open.
   */
  closeBefore(ts: number): { group: Group<E>; runs: Run<E>[] }[] {
    const closed: { group: Group<E>; runs: Run<E>[] }[] = [];
    for (const group of this.#open) {
      if (group.end >= ts - VISIT_GAP_MS) continue;
      this.#open.delete(group);
      const runs: Run<E>[] = [];
      for (const key of group.keys) {
        const list = this.#runs.get(key);
        if (!list) continue;
        const kept = list.filter((run) => {
          if (rootOf(run.group) !== group) return true;
          runs.push(run);
          return false;
        });
        if (kept.length > 0) this.#runs.set(key, kept);
        else this.#runs.delete(key);
      }
      closed.push({ group, runs });
    }
    return closed;
  }

  #list(key: string): Run<E>[] {
    let list = this.#runs.get(key);
    if (!list) this.#runs.set(key, (list = []));
    return list;
  }
}
