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
 * event's group. A visit whose events carry one id has one run, its own span;
 * one whose events carry several (it goes on past midnight) has a run per id.
 * This file knows no SQL: the writer loads the stored runs near a batch, the
 * rebuild feeds every event in time order.
 */

/** A group of linked events and stored visits (a union-find node; its root holds the group). */
export interface Group<E> {
  parent: Group<E> | null;
  size: number;
  /** Ids of the stored visits in the group (null: none). */
  stored: number[] | null;
  /** The new events of the group. */
  items: E[];
  /** A visitor id (site-qualified key) of the group, and whether it has runs of more than one. */
  key: string;
  several: boolean;
  /** The latest event time of the group. */
  end: number;
}

/** A stored run, as the database keys it. */
export interface StoredRun {
  readonly key: string;
  readonly start: number;
  readonly end: number;
  readonly visitId: number;
  /** A run of several: a row of its own (else the visit's span is its run, and its row the visit's). */
  readonly listed: boolean;
}

/** A run as it ends up after linking. */
export interface Run<E> {
  readonly key: string;
  start: number;
  end: number;
  group: Group<E>;
  /** The stored run it continues with the same start, or null. */
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

/** Links events (`E` is whatever the caller places: a batch row's index, a stored event) into groups. */
export class VisitLinker<E> {
  /** Per key, its runs in time order. */
  readonly #runs = new Map<string, Run<E>[]>();
  readonly #storedGroups = new Map<number, Group<E>>();
  /** Roots of the groups made so far. */
  readonly #open = new Set<Group<E>>();
  /** Stored runs that no run continues: joined into another, or their start moved. */
  readonly replaced: StoredRun[] = [];

  /** A stored run, found near the events to link; its visit becomes a group (`several`: the visit has runs of more than one id). */
  addStored(run: StoredRun, several: boolean): void {
    let group = this.#storedGroups.get(run.visitId);
    if (!group) {
      group = this.#group(run.key, run.end);
      group.stored = [run.visitId];
      group.several = several;
      this.#storedGroups.set(run.visitId, group);
    }
    const list = this.#list(run.key);
    let at = list.length;
    while (at > 0 && list[at - 1]!.start > run.start) at--;
    list.splice(at, 0, { key: run.key, start: run.start, end: run.end, group, origin: run });
  }

  /** Links one event at `ts` carrying `key` (and `other`, yesterday's, or null); returns its group's root. */
  link(key: string, other: string | null, ts: number, item: E): Group<E> {
    let group = this.#join(key, ts, null);
    if (other !== null) group = this.#join(other, ts, group);
    const root = rootOf(group);
    root.items.push(item);
    if (ts > root.end) root.end = ts;
    return root;
  }

  /** Joins the runs of `key` an event at `ts` reaches into one, with the event's group so far. */
  #join(key: string, ts: number, group: Group<E> | null): Group<E> {
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
    if (lo === last) {
      group ??= this.#group(key, ts);
      list.splice(lo, 0, { key, start: ts, end: ts, group, origin: null });
      return this.#unite(group, group, key);
    }
    // The earliest joined run becomes the joined one: it keeps its stored row if its start does not move.
    const run = list[lo]!;
    if (ts < run.start) {
      if (run.origin) this.replaced.push(run.origin);
      run.origin = null;
      run.start = ts;
    }
    if (ts > run.end) run.end = ts;
    group = this.#unite(group ?? run.group, run.group, key);
    for (let i = lo + 1; i < last; i++) {
      const other = list[i]!;
      if (other.origin) this.replaced.push(other.origin);
      if (other.end > run.end) run.end = other.end;
      group = this.#unite(group, other.group, key);
    }
    if (last > lo + 1) list.splice(lo + 1, last - lo - 1);
    return group;
  }

  /** Every group with new events, by root. */
  groups(): Group<E>[] {
    const groups: Group<E>[] = [];
    for (const group of this.#open) if (group.items.length > 0) groups.push(group);
    return groups;
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
   * `keysOf` says which keys an item's runs are of.
   */
  closeBefore(ts: number, keysOf: (item: E) => readonly string[]): { group: Group<E>; runs: Run<E>[] }[] {
    const closed: { group: Group<E>; runs: Run<E>[] }[] = [];
    for (const group of this.#open) {
      if (group.end >= ts - VISIT_GAP_MS) continue;
      this.#open.delete(group);
      const keys = new Set<string>();
      for (const item of group.items) for (const key of keysOf(item)) keys.add(key);
      const runs: Run<E>[] = [];
      for (const key of keys) {
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

  #group(key: string, end: number): Group<E> {
    const group: Group<E> = { parent: null, size: 1, stored: null, items: [], key, several: false, end };
    this.#open.add(group);
    return group;
  }

  /** Joins two groups (and notes the key that joined them); returns the root of the union. */
  #unite(a: Group<E>, b: Group<E>, key: string): Group<E> {
    let x = rootOf(a);
    let y = rootOf(b);
    if (x === y) {
      if (key !== x.key) x.several = true;
      return x;
    }
    if (x.size < y.size) [x, y] = [y, x];
    y.parent = x;
    x.size += y.size;
    if (y.stored) x.stored = x.stored ? [...x.stored, ...y.stored] : y.stored;
    for (const item of y.items) x.items.push(item);
    x.several ||= y.several || y.key !== x.key || key !== x.key;
    if (y.end > x.end) x.end = y.end;
    y.stored = null;
    y.items = [];
    this.#open.delete(y);
    return x;
  }

  #list(key: string): Run<E>[] {
    let list = this.#runs.get(key);
    if (!list) this.#runs.set(key, (list = []));
    return list;
  }
}
