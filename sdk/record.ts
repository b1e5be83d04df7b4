import { enqueue, type Event } from './queue.ts';
import type { Options } from './options.ts';
import { skipReason } from './skip.ts';

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
