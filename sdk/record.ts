import { enqueue, type Event } from './queue.ts';
import { skipReason } from './skip.ts';

/** How the tracker is set up: in code with `init`, or by the script tag's `data-*` attributes. */
export interface Options {
  /** The site id the collector knows this site by. */
  site: string;
  /** The collector's origin (or base URL), such as `https://stats.example.com`; events go to its `/events`. Defaults to this page's origin. */
  api?: string;
  /** The full URL to send events to, when the collector serves them elsewhere (`FOOTFALL_EVENTS_PATH`). Overrides `api`. */
  endpoint?: string;
  /** Count pages by path and hash (`/#/settings`), for sites that route by hash. */
  hash?: boolean;
  /** Send nothing when the browser asks not to be tracked (Do Not Track or Global Privacy Control). */
  respectDnt?: boolean;
  /** Count visits on localhost and 127.0.0.1, which are skipped by default. */
  includeLocalhost?: boolean;
  /** File extensions whose links count as downloads, replacing the default list: `['pdf', 'zip']` or `'pdf,zip'`. */
  downloads?: string[] | string;
  /** Log to the console why an event is not counted. */
  debug?: boolean;
}

/** The options `init` was given; undefined before it. */
export let options: Options | undefined;

/** Keeps the options every part of the tracker reads. */
export function configure(settings: Options): void {
  options = settings;
}

/** Queues an event unless a skip rule says no; with `debug`, a skip says why. */
export function record(event: Event, time?: number): void {
  if (!options) return;
  const reason = skipReason(options);
  if (reason) options.debug && console.log('Footfall ignored', event.event_type, reason);
  else enqueue(event, time);
}

/** Where the visitor is: the URL, and in hash mode the path with its hash. */
export function here(): Pick<Event, 'url' | 'path'> {
  return { url: location.href, path: options!.hash ? location.pathname + location.hash : undefined };
}
