import { enqueue, type Event } from './queue.ts';
import { options } from './settings.ts';
import { IGNORE_KEY, skipReason } from './skip.ts';
import { enqueueAdjusted } from './variant.ts';

/**
 * Where an event happened: the page's URL, and the page as counted (its path,
 * and in hash mode its hash); for an engagement, how far down the page it went.
 */
export type Where = Pick<Event, 'u' | 'k' | 'y'>;

/** Where the visitor is now. */
export const here = (): Where => ({ u: location.href, k: location.pathname + (options!.hash ? location.hash : '') });

/**
 * Queues the event `name` with its `fields`, as happened `where` (here, by
 * default) and now (unless `fields` say when: `a`), unless a skip rule says
 * no; with `debug`, a skip says why. Only called once `init` has run: it
 * reads the options.
 */
export const record = (name: string, fields: Partial<Event>, where: Where = here()): void => {
  let ignore: string | undefined;
  try {
    ignore = localStorage[IGNORE_KEY];
  } catch {
    // Storage may be forbidden (a sandboxed frame, blocked cookies): no switch was set.
  }
  const reason = skipReason(ignore);
  if (reason) options!.debug && console.log('Footfall ignored', name, reason);
  else (FOOTFALL_COMPAT ? enqueueAdjusted : enqueue)({ ...where, n: name, a: Date.now(), ...fields });
};
