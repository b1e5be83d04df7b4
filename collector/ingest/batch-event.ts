import { classifyLinkClick } from './link-click.ts';
import type { EventFields } from './to-row.ts';
import type { ParsedBatchEvent } from './wire.ts';

/**
 * A tracker event in the terms of a stored row, or null when it is not kept.
 * The tracker reports every click on a link (`click` with `l`); here it
 * becomes an outbound click or a download, named so in `element`, or nothing
 * when the link stays on the site. A tagged element's properties come from
 * its data attributes (`t`), a custom event's from `track()` (`p`).
 */
export function readBatchEvent(event: ParsedBatchEvent, downloads: readonly string[]): EventFields | null {
  let element = event.x;
  if (event.n === 'click' && event.l != null) {
    const kind = classifyLinkClick(event.l, event.u, event.d, downloads);
    if (!kind) return null;
    element = kind;
  }
  return {
    event_type: event.n,
    url: event.u,
    path: event.k,
    referrer: event.r,
    link: event.l,
    element,
    props: event.p ?? event.t,
    revenue: event.$,
    engaged_ms: event.g,
  };
}
