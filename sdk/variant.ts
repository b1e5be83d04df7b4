import { type Event, enqueue } from './queue.ts';

/**
 * Set only by the compat script (sdk/compat.ts), whose build defines
 * `FOOTFALL_COMPAT`: what another tool's snippet changes of each event before
 * it is queued (its properties, its URL), or undefined to send none. The
 * script tag's build defines it false, and the bundler drops this file.
 */
export const variant: { adjust?: (event: Event) => Event | undefined } = {};

/** Queues an event as the variant adjusts it, if at all. */
export function enqueueAdjusted(event: Event): void {
  const adjusted = variant.adjust ? variant.adjust(event) : event;
  if (adjusted) enqueue(adjusted);
}

declare global {
  /** True in the compat script's build (and the unit tests'), false in the script tag's and the npm package's. */
  const FOOTFALL_COMPAT: boolean;
}
