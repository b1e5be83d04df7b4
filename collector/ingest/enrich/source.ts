import { hostInDomains } from '../../sites.ts';
import { knownSource } from '../../source-names.ts';

/**
 * Where a visit came from: the referring site, named when it is a well-known
 * one, or the campaign the page URL says (`utm_source`, `ref`). Navigation
 * within the site itself is not a source.
 */

export interface ReferrerFacts {
  /** The referring page without its query or fragment (they can hold tokens), or null. */
  readonly referrer: string | null;
  /** The referring site: a known name, else its host without `www.`; null when none. */
  readonly source: string | null;
}

const NONE: ReferrerFacts = Object.freeze({ referrer: null, source: null });

/**
 * Reads a referrer URL. A referrer on the page's own host, or on one of the
 * site's domains, is navigation within the site: neither referrer nor source.
 */
export function readReferrer(referrer: string | null | undefined, pageHost: string | null, siteDomains: readonly string[]): ReferrerFacts {
  if (!referrer) return NONE;
  let url: URL;
  try {
    url = new URL(referrer);
  } catch {
    return NONE;
  }
  const host = url.hostname.toLowerCase().replace(/\.$/, '');
  if (!host) return NONE;
  const bare = host.replace(/^www\./, '');
  if (pageHost && bare === pageHost.toLowerCase().replace(/^www\./, '')) return NONE;
  // With or without www., as sites are served under both.
  if (hostInDomains(bare, siteDomains) || hostInDomains(`www.${bare}`, siteDomains)) return NONE;
  const page =
    url.protocol === 'http:' || url.protocol === 'https:' ? `${url.protocol}//${url.host}${url.pathname}` : `${url.protocol}//${url.host}`;
  return { referrer: page, source: knownSource(bare) ?? bare };
}
