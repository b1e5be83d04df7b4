import type { IncomingEvent } from '../store/schema.ts';
import type { VisitorIds } from './visitor.ts';
import type { BatchEvent, SingleEvent } from './wire.ts';

type EventFields = Omit<SingleEvent, 'site_id' | 'timestamp'> | Omit<BatchEvent, 'age'>;

/** Maps the wire's `event_type` to the stored type and name. */
export function classifyEvent(eventType: string): { type: string; name: string } {
  switch (eventType) {
    case 'pageview':
    case 'page_view':
      return { type: 'pageview', name: 'pageview' };
    case 'click':
    case 'engagement':
      return { type: eventType, name: eventType };
    default:
      return { type: 'custom', name: eventType };
  }
}

/**
 * The page an event happened on, and its host. From a URL the path is its
 * pathname; a path sent as such loses its query but keeps a fragment, which is
 * how sites that route by hash (`/#/settings`) name their pages.
 */
export function locatePage(path: string | null | undefined, url: string | null | undefined): { path: string | null; hostname: string | null } {
  let hostname: string | null = null;
  let fromUrl: string | null = null;
  if (url) {
    try {
      const parsed = new URL(url);
      hostname = parsed.hostname || null;
      fromUrl = parsed.pathname;
    } catch {
      // Not an absolute URL: keep the path alone.
    }
  }
  if (path == null) return { path: fromUrl, hostname };
  const query = path.indexOf('?');
  if (query === -1) return { path, hostname };
  const fragment = path.indexOf('#', query);
  return { path: path.slice(0, query) + (fragment === -1 ? '' : path.slice(fragment)) || '/', hostname };
}

/** Builds the row to store from a validated event, its time and its visitor. */
export function toEventRow(siteId: string, event: EventFields, ts: number, visitor: VisitorIds): IncomingEvent {
  const { type, name } = classifyEvent(event.event_type);
  const { path, hostname } = locatePage(event.path, event.url);
  return {
    site_id: siteId,
    ts,
    type,
    name,
    visitor_id: visitor.visitorId,
    previous_visitor_id: visitor.previousVisitorId,
    hostname,
    path,
    title: event.title ?? null,
    referrer: event.referrer ?? null,
    link: event.link ?? null,
    element: event.element ?? null,
    props: event.props && Object.keys(event.props).length > 0 ? JSON.stringify(event.props) : null,
    revenue_amount: event.revenue?.amount ?? null,
    revenue_currency: event.revenue?.currency ?? null,
    engaged_ms: event.engaged_ms ?? null,
  };
}
