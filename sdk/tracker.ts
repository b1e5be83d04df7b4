import { safe } from './guard.ts';
import type { EventData, Options } from './options.ts';
import { watch } from './pages.ts';
import { flush as send, takeStored } from './queue.ts';
import { record } from './record.ts';
import { configure, options } from './settings.ts';
import { IGNORE_KEY } from './skip.ts';

export type { EventData, Options } from './options.ts';

/** The collector's batch endpoint; a collector that renames it writes its own path here when it serves the script. */
const EVENTS_PATH = '/events';

/**
 * Starts tracking: counts this page view and those that follow, clicks on
 * links and tagged elements, and engaged time; sends what an earlier page
 * could not deliver. Only the first call counts.
 */
export const init: (options: Options) => void = /* @__PURE__ */ safe((settings: Options) => {
  if (options || !settings.site) return;
  // No api: a relative URL, to this page's origin.
  configure(settings, settings.endpoint || (settings.api || '').replace(/\/?$/, EVENTS_PATH));
  watch();
  for (const event of takeStored()) record(event.n, event, event);
});

/** Records a custom event, such as `track('Signup', { props: { plan: 'pro' } })`. Before `init`, nothing. */
export const track: (name: string, data?: EventData) => void = /* @__PURE__ */ safe((name: string, data?: EventData) =>
  record(name, { p: data?.props, $: data?.revenue }),
);

/** Sends every queued event now, rather than within the second. */
export const flush: () => void = /* @__PURE__ */ safe(() => send());

/** Stops counting this browser, on every page of the site, until `optIn()`. */
export const optOut: () => void = /* @__PURE__ */ safe(() => (localStorage[IGNORE_KEY] = 'true'));

/** Counts this browser again after `optOut()`. */
export const optIn: () => void = /* @__PURE__ */ safe(() => delete localStorage[IGNORE_KEY]);
