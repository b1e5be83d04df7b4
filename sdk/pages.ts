import { safe } from './guard.ts';
import { flush } from './queue.ts';
import { here, record } from './record.ts';

/** The page last counted: its path, and in hash mode its hash. */
let page: string | undefined;
/** Where the page last counted is, for its engagement event. */
let where: ReturnType<typeof here> | undefined;
/** Milliseconds the page was visible and focused, not yet sent. */
let engaged = 0;
/** Since when the page is visible and focused; 0 while it is not. */
let since = 0;

/** Listens on the window; the listener can never throw into the page. */
export const on = (type: string, listener: (event: any) => unknown) => addEventListener(type, safe(listener));

/**
 * Counts this page view, then every SPA navigation that really changes the
 * page (history API, back and forward, hash in hash mode) and every return
 * from the back/forward cache; and the time each page was visible and focused.
 */
export function watchPages(hash?: boolean): void {
  const view = safe((again?: unknown) => {
    const key = location.pathname + (hash ? location.hash : '');
    if (key != page || again == 1) {
      engage();
      page = key;
      where = here();
      record({ ...where, event_type: 'pageview', referrer: document.referrer || undefined });
    }
  });
  for (const method of ['pushState', 'replaceState'] as const) {
    const original = history[method];
    history[method] = function (this: History, ...args: Parameters<History['pushState']>) {
      original.apply(this, args);
      view();
    };
  }
  on('popstate', view);
  on('pageshow', (event: PageTransitionEvent) => event.persisted && view(1));
  // visibilitychange bubbles from the document to the window. Not `unload`:
  // it would keep the page out of the back/forward cache.
  for (const type of ['focus', 'blur', 'visibilitychange', 'pagehide']) on(type, engage);
  view();
}

/**
 * Times engagement: adds the time since the last call while the page was
 * visible and focused. When the page is hidden or left (`event`), or another
 * page is counted (no event), records the engaged time, and on leaving sends
 * everything queued.
 */
function engage(event?: Event): void {
  const now = Date.now();
  const gone = event?.type == 'pagehide' || document.hidden;
  if (since) engaged += now - since;
  since = gone || !document.hasFocus() ? 0 : now;
  if (gone || !event) {
    if (engaged && where) record({ ...where, event_type: 'engagement', engaged_ms: engaged });
    engaged = 0;
    if (event) flush(true);
  }
}
