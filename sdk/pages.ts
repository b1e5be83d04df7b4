import { recordClick } from './clicks.ts';
import { safe } from './guard.ts';
import { flush } from './queue.ts';
import { here, record, type Where } from './record.ts';

/** Every event the tracker listens to on the window: page changes, visibility and focus, leaving, clicks, and scrolling. */
const EVENTS = 'popstate pageshow focus blur visibilitychange pagehide click auxclick scroll';

/**
 * The page last counted, with its scroll depth so far (`y`), which its
 * engagement events carry; `k` is undefined before the first.
 */
let page = {} as Where;
/** Milliseconds the page was visible and focused, not yet sent. */
let engaged = 0;
/** Since when the page is visible and focused; 0 while it is not. */
let since = 0;

/**
 * Counts this page view, then every SPA navigation that really changes the
 * page (history API, back and forward, hash in hash mode) and every return
 * from the back/forward cache; the time each page was visible and focused;
 * and clicks. Not `unload`: it would keep the page out of the back/forward cache.
 */
export function watch(): void {
  for (const method of ['pushState', 'replaceState'] as const) {
    const original = history[method];
    // The history methods return nothing: onEvent is called with no event.
    history[method] = (...args: Parameters<History['pushState']>) => onEvent(original.apply(history, args) as undefined);
  }
  for (const type of EVENTS.split(' ')) addEventListener(type, onEvent);
  onEvent();
}

/**
 * One listener for everything, which also runs after each history call (no
 * event). It adds the time since the last call while the page was visible and
 * focused; when the page is hidden or left, or another page is counted,
 * records that engaged time under the page it belongs to, with the page's
 * scroll depth; counts a new page; measures how far down this page the
 * viewport's bottom has reached; reads a click; and on leaving (or a link
 * click, which may leave) sends at once.
 */
const onEvent = safe((event?: Partial<PageTransitionEvent & MouseEvent>) => {
  const now = Date.now();
  const type = event?.type;
  const where = here();
  const moved = where.k != page.k || (type == 'pageshow' && event!.persisted);
  let leaving: unknown = document.hidden || type == 'pagehide';
  engaged += since && now - since;
  since = leaving || !document.hasFocus() ? 0 : now;
  if (leaving || moved) {
    if (engaged) record('engagement', { g: engaged }, page);
    engaged = 0;
  }
  if (moved) record('pageview', { r: document.referrer }, (page = where));
  // Scroll depth as Plausible measures it: the viewport's bottom, as a fraction of the document's height
  // (the collector keeps it in percent, 100 at most). Measured after the engagement is recorded: in a
  // single-page app the document may already be the next page's.
  page.y = Math.max(page.y || 0, (scrollY + innerHeight) / document.documentElement.scrollHeight);
  // Only mouse events (click, auxclick) have a button.
  if (event?.button! >= 0) leaving = recordClick(event as MouseEvent);
  if (leaving) flush(1);
});
