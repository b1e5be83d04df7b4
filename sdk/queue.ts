import type { BatchEvent } from '../collector/ingest/wire.ts';
import { safe, storage } from './guard.ts';

/** An event as recorded; its age is added when its batch is sent. */
export type Event = Omit<BatchEvent, 'age'>;
/** A recorded event and when it happened, in milliseconds by this browser's clock. */
export type Entry = [time: number, event: Event];

/** Where undelivered events wait for the next page load. */
export const STORE_KEY = 'footfall_queue';

let site: string;
let endpoint: string;
let pending: Entry[] = [];
let chars = 0;
let timer: ReturnType<typeof setTimeout> | 0 = 0;

/** Sets where batches go: the site and the collector's events URL. */
export function aim(siteId: string, url: string): void {
  site = siteId;
  endpoint = url;
}

/**
 * Queues an event. The batch is sent after a second, or at once when it holds
 * 25 events or its JSON would pass 20,000 characters: a character is at most
 * 3 bytes of UTF-8, so a batch stays under the 64 KB that browsers allow a
 * beacon or a keepalive request (and under the collector's 100 events).
 */
export function enqueue(event: Event, time = Date.now()): void {
  const size = JSON.stringify(event).length;
  if (chars + size > 2e4) flush();
  chars += size;
  if (pending.push([time, event]) > 24) flush();
  else timer ||= setTimeout(flush, 1000);
}

/**
 * Sends the queued events as one text/plain batch (no CORS preflight), each
 * with its age. When the page is being left a beacon carries it; otherwise,
 * or when the beacon is refused, a keepalive fetch whose answer is read: when
 * the collector cannot keep the events (429, 5xx) or the network fails, they
 * wait in storage for the next page load.
 */
export function flush(leaving?: boolean): void {
  clearTimeout(timer);
  const entries = pending;
  const now = Date.now();
  const body = JSON.stringify({ site_id: site, events: entries.map(([time, event]) => ({ ...event, age: Math.max(0, now - time) })) });
  const keep = safe(() => storeEntries(takeStored().concat(entries)));
  timer = chars = 0;
  pending = [];
  if (entries[0] && !(leaving && navigator.sendBeacon?.(endpoint, body))) {
    fetch(endpoint, { method: 'POST', body, keepalive: true }).then((response) => response.status != 429 && response.status < 500 || keep(), keep);
  }
}

/** Takes the undelivered events out of storage, to be recorded again. */
export function takeStored(): Entry[] {
  const entries = JSON.parse(storage(STORE_KEY) || '[]');
  storeEntries([]);
  return entries;
}

/** Keeps the newest 100 undelivered events, so that a blocked collector cannot fill storage. */
function storeEntries(entries: Entry[]): void {
  storage(STORE_KEY, entries[0] ? JSON.stringify(entries.slice(-100)) : '');
}
