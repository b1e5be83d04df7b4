/**
 * sdk/ — the browser tracker: the `<script>` build and the npm package.
 *
 * May import: collector/ingest (the wire format's types only).
 */
// The npm entry: importing has no side effect; `init()` starts tracking.
import { init as start, type Options } from './tracker.ts';

export { type EventData, flush, type Options, optIn, optOut, track } from './tracker.ts';

/**
 * Starts tracking with these options. Events go to `endpoint`, or to `api`
 * (the collector's base URL, with or without a trailing slash) and its events
 * path; without either, to this page's own origin.
 */
export function init(options: Options): void {
  start({ ...options, api: (options.api ?? '').replace(/\/$/, '') });
}
