import type { Options } from './options.ts';

// What `init` was given, read by every part of the tracker.

/** The collector's batch endpoint; a collector that renames it writes its own path here when it serves the script. */
const EVENTS_PATH = '/events';

/** The options `init` was given; undefined before it. */
export let options: Options | undefined;
/**
 * The collector's events URL: `endpoint`, or `api` and the events path. The
 * script-tag file always has an `api` (its own origin); the npm entry makes
 * it `''`, a URL relative to the page. A trailing slash in `api` leaves
 * `//events`, which the collector takes as `/events`.
 */
export let endpoint: string;

/** Keeps the options, and where events go. */
export function configure(settings: Options): void {
  options = settings;
  endpoint = settings.endpoint || settings.api + EVENTS_PATH;
}
