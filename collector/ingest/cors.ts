import { originAllowed, type Site, type Sites } from '../sites.ts';

/**
 * CORS for the ingest routes. Beacons are text/plain "simple" requests that
 * need no preflight; the headers matter for the fetch fallback and for pages
 * that read the answer. A site that lists domains takes events only from
 * browsers on them; a site that lists none, from anywhere.
 */
export interface IngestCors {
  /** Headers for a preflight from `origin`, or null when no site would take events from it. */
  preflight(origin: string | undefined): Record<string, string> | null;
  /** Headers for an event to `site` from `origin`, or null when the site does not take events from it. */
  forSite(site: Site, origin: string | undefined): Record<string, string> | null;
  /**
   * Headers for a refusal sent to `origin`: those its preflight had, so that a
   * page the collector would take events from can read why (a wrong site id
   * would otherwise show as a CORS failure).
   */
  refusal(origin: string | undefined): Readonly<Record<string, string>>;
}

const PREFLIGHT = {
  'Access-Control-Allow-Methods': 'POST',
  'Access-Control-Allow-Headers': 'Content-Type',
  'Access-Control-Max-Age': '86400',
};
const ANY = Object.freeze({ 'Access-Control-Allow-Origin': '*' });
const NONE = Object.freeze({});

export function ingestCors(sites: Sites): IngestCors {
  // A preflight carries no site id: allow an origin some site would take. Asked each time: sites change while running.
  const allowed = (origin: string | undefined) => {
    if (!sites.restricted || sites.list.some((s) => s.domains.length === 0)) return ANY;
    if (!origin || !sites.list.some((s) => originAllowed(s, origin))) return null;
    return { 'Access-Control-Allow-Origin': origin, Vary: 'Origin' };
  };
  return {
    preflight(origin) {
      const headers = allowed(origin);
      return headers && { ...headers, ...PREFLIGHT };
    },
    refusal: (origin) => allowed(origin) ?? NONE,
    forSite(site, origin) {
      if (site.domains.length === 0) return ANY;
      // Server-side clients send no Origin: the domain list speaks of browsers.
      if (!origin) return NONE;
      return originAllowed(site, origin) ? { 'Access-Control-Allow-Origin': origin, Vary: 'Origin' } : null;
    },
  };
}
