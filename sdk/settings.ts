import type { Options } from './options.ts';

// What `init` was given, read by every part of the tracker.

/** The options `init` was given; undefined before it. */
export let options: Options | undefined;
/** The collector's events URL. */
export let endpoint: string;

/** Keeps the options and the URL events are sent to. */
export function configure(settings: Options, url: string): void {
  options = settings;
  endpoint = url;
}
