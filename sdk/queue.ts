import type { Batch, BatchEvent } from '../collector/ingest/wire.ts';
import { safe } from './guard.ts';
import { endpoint, options } from './settings.ts';

/** An event as recorded: its `a` is the time it happened by this browser's clock, until its batch is sent. */
export type Event = BatchEvent;

/** Where undelivered events wait for the next page load: a name the script already holds, in footfall_ignore. */
export const STORE_KEY = 'footfall';

let pending: Event[] = [];

/**
 * Queues an event. A batch leaves a second after its first event (each event
 * sets a timer that sends whatever is queued then: one timer less to keep
 * than a shared one, and a later timer may find nothing left to send); at
 * once when 25 events wait (the collector takes 100); and before its JSON
 * would pass 20,000 characters: a character is at most 3 bytes of UTF-8, so a
 * body stays under the 64 KB that browsers allow a beacon or a keepalive request.
 * An event that cannot be written as JSON throws here, before it is queued.
 */
export function enqueue(event: Event): void {
  if (JSON.stringify([...pending, event]).length > 2e4) flush();
  if (pending.push(event) > 24) flush();
  else setTimeout(flush, 1e3);
}

/**
 * Sends the queued events as one text/plain batch (no CORS preflight), each
 * with its age. When the page is being left a beacon carries it; otherwise,
 * or when the beacon is refused, a keepalive fetch whose answer is read: when
 * the collector did not take the batch (a 429 or a 503, but also a 400 for a
 * site it does not know yet) or the network fails, its events wait in
 * storage, the newest 100, for the next page load. (An event the collector
 * refuses inside a batch it takes is not retried: the batch got its 202.)
 * With `debug` every batch goes by fetch, whose answer the page can read, and
 * the console gets one line per answer: its status, where it came from and
 * what it said (why a visit was ignored, why a batch was refused).
 */
export const flush = (leaving?: unknown): void => {
  const events = pending;
  const body = JSON.stringify({ s: options!.site, e: events.map((event) => ({ ...event, a: Date.now() - event.a })) } satisfies Batch);
  const keep = safe(
    () => (localStorage[STORE_KEY] = JSON.stringify([...JSON.parse(localStorage[STORE_KEY] || '[]'), ...events].slice(-100))),
  );
  pending = [];
  if (events[0] && !(leaving && !options!.debug && navigator.sendBeacon?.(endpoint, body))) {
    fetch(endpoint, { method: 'POST', body, keepalive: true }).then((response) => {
      response.ok || keep();
      if (options!.debug) response.text().then((text) => console.log('Footfall', response.status, endpoint, text));
    }, keep);
  }
};
