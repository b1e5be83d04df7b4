// The npm entry: importing has no side effect; `init()` starts tracking.
export { type EventData, flush, init, type Options, optIn, optOut, track } from './tracker.ts';
