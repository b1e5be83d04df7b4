import { watchClicks } from './clicks.ts';
import { safe, storage } from './guard.ts';
import { watchPages } from './pages.ts';
import { aim, flush as send, takeStored } from './queue.ts';
import type { EventData, Options } from './options.ts';
import { configure, here, options, record } from './record.ts';
import { IGNORE_KEY } from './skip.ts';

export type { EventData, Options } from './options.ts';

/** The collector's batch endpoint; a collector that renames it writes its own path here when it serves the script. */
const EVENTS_PATH = '/events';

/**
 * Starts tracking: counts this page view and those that follow, clicks on
 * outbound links, downloads and tagged elements, and engaged time; sends what
 * an earlier page could not deliver. Only the first call counts.
 */
export const init: (options: Options) => void = /* @__PURE__ */ safe((settings: Options) => {
  if (options || !settings.site) return;
  configure(settings);
  aim(settings.site, settings.endpoint || (settings.api || location.origin).replace(/\/+$/, '') + EVENTS_PATH);
  watchPages(settings.hash);
  watchClicks(settings.downloads);
  for (const [time, event] of takeStored()) record(event, time);
});

/** Records a custom event, such as `track('Signup', { props: { plan: 'pro' } })`. */
export const track: (name: string, data?: EventData) => void = /* @__PURE__ */ safe((name: string, data?: EventData) =>
  record({ ...here(), event_type: name, props: data?.props, revenue: data?.revenue }),
);

/** Sends every queued event now, rather than within the second. */
export const flush: () => void = /* @__PURE__ */ safe(() => send());

/** Stops counting this browser, on every page of the site, until `optIn()`. */
export const optOut: () => void = () => void storage(IGNORE_KEY, 'true');

/** Counts this browser again after `optOut()`. */
export const optIn: () => void = () => void storage(IGNORE_KEY, '');
