import { campaignSource } from '../source-names.ts';
import type { IncomingEvent } from '../store/schema.ts';
import { readCampaign } from './enrich/campaign.ts';
import type { GeoFacts } from './enrich/geo.ts';
import { readReferrer } from './enrich/source.ts';
import type { UserAgentFacts } from './enrich/user-agent.ts';
import type { VisitorIds } from './visitor.ts';
import type { SingleEvent } from './wire.ts';

/** What one request says about every event in it: the visitor's software and place, and the site's domains. */
export interface RequestFacts {
  readonly userAgent: UserAgentFacts;
  readonly geo: GeoFacts;
  /** The site's own domains: a referrer on one of them is not a source. */
  readonly siteDomains: readonly string[];
}

/** An event's own fields, validated, in `POST /event`'s terms; a tracker event is read into them (batch-event.ts). */
export type EventFields = Omit<SingleEvent, 'site_id' | 'timestamp'>;

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
 * How a person reads a click on one of the site's own links, the name it is
 * stored and listed under (as Plausible names them); its target is its `url`
 * property. A click on a tracked short link, or a tagged element, keeps its own.
 */
const LINK_CLICK_NAMES: Readonly<Record<string, string>> = Object.freeze({
  outbound: 'Outbound link',
  download: 'File download',
});

/**
 * The page an event happened on, and its host. From a URL the path is its
 * pathname; a path sent as such loses its query but keeps a fragment, which is
 * how sites that route by hash (`/#/settings`) name their pages.
 */
export function locatePage(
  path: string | null | undefined,
  url: string | null | undefined,
): { path: string | null; hostname: string | null } {
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

/**
 * Builds the row to store from a validated event, its time, its visitor and
 * what its request says. The source is, as Plausible reads it, the page URL's
 * `ref` (or `source`), else its `utm_source`, else the referring site.
 */
export function toEventRow(siteId: string, event: EventFields, ts: number, visitor: VisitorIds, request: RequestFacts): IncomingEvent {
  const classified = classifyEvent(event.event_type);
  const { type } = classified;
  const linkName = type === 'click' && event.link && event.element ? LINK_CLICK_NAMES[event.element] : undefined;
  const name = linkName ?? classified.name;
  const props = linkName && !event.props ? { url: event.link } : event.props;
  const { path, hostname } = locatePage(event.path, event.url);
  const campaign = readCampaign(event.url ?? event.path);
  const referrer = readReferrer(event.referrer, hostname, request.siteDomains);
  const tagged = campaign.ref ?? campaign.utm_source;
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
    referrer: referrer.referrer,
    source: tagged ? campaignSource(tagged) : referrer.source,
    utm_source: campaign.utm_source,
    utm_medium: campaign.utm_medium,
    utm_campaign: campaign.utm_campaign,
    utm_term: campaign.utm_term,
    utm_content: campaign.utm_content,
    ...request.userAgent,
    ...request.geo,
    link: event.link ?? null,
    element: event.element ?? null,
    props: props && Object.keys(props).length > 0 ? JSON.stringify(props) : null,
    revenue_amount: event.revenue?.amount ?? null,
    revenue_currency: event.revenue?.currency ?? null,
    engaged_ms: event.engaged_ms ?? null,
    scroll_depth: event.scroll_depth ?? null,
  };
}
