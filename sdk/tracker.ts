import { safe } from './guard.ts';
import type { EventData, Options } from './options.ts';
import { watch } from './pages.ts';
import { type Event, flush as send, STORE_KEY } from './queue.ts';
import { record } from './record.ts';
import { configure, options } from './settings.ts';
import { IGNORE_KEY } from './skip.ts';

export type { EventData, Options } from './options.ts';

/**
 * Starts tracking: counts this page view and those that follow, clicks on
 * links and tagged elements, and engaged time and scroll depth; sends what an
 * earlier page could not deliver. Only the first call counts. Without a site
 * it says so on the console, debug or not: a tag without `data-site` would
 * otherwise do nothing, silently.
 */
export const init: (options: Options) => void = /* @__PURE__ */ safe((settings: Options) => {
  if (!settings.site) return console.log('Footfall needs data-site');
  if (options) return;
  configure(settings);
  watch();
  // Undelivered events come back from storage to be recorded again. The key
  // goes first, so that events that cannot be read are not tried again.
  const stored = localStorage[STORE_KEY];
  delete localStorage[STORE_KEY];
  for (const event of JSON.parse(stored || '[]') as Event[]) record(event.n, event, event);
});

/**
 * Records a custom event, such as `track('Signup', { props: { plan: 'pro' } })`.
 * Before `init`, nothing: recording reads the options, which are not there yet,
 * and `safe` swallows that.
 */
export const track: (name: string, data?: EventData) => void = /* @__PURE__ */ safe((name: string, data?: EventData) =>
  record(name, { p: data?.props, $: data?.revenue }),
);

/** Sends every queued event now, rather than within the second. */
export const flush: () => void = /* @__PURE__ */ safe(() => send());

/** Stops counting this browser, on every page of the site, until `optIn()`. Storage keeps `true` as "true". */
export const optOut: () => void = /* @__PURE__ */ safe(() => (localStorage[IGNORE_KEY] = true));

/** Counts this browser again after `optOut()`. */
export const optIn: () => void = /* @__PURE__ */ safe(() => delete localStorage[IGNORE_KEY]);
