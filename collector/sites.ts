import { isValidTimeZone } from './timezone.ts';

/** What the operator says about one site. */
export interface Site {
  readonly id: string;
  /** Hostnames the site is served from; browsers on other origins get no CORS headers. Empty: any. */
  readonly domains: readonly string[];
  /** IANA zone its days and hours are counted in. */
  readonly timeZone: string;
  /** Anyone may read its stats, with or without an API key. */
  readonly public: boolean;
  /** File extensions (lower case) whose links count as downloads, when the site names its own; else the default list. */
  readonly downloads?: readonly string[];
  /** Domains Plausible's tracker names it by (`plausible=`); when unset, its own `domains` (see plausibleDomainsOf). */
  readonly plausible?: readonly string[];
  /** The Umami website id Umami's tracker names it by (`umami=`). */
  readonly umami?: string;
}

/** The sites a collector serves. */
export interface Sites {
  /** True when only listed sites are accepted (`FOOTFALL_SITES` is set). */
  readonly restricted: boolean;
  /** The listed sites, in the order given. */
  readonly list: readonly Site[];
  /** The zone of sites that name none (`FOOTFALL_TIMEZONE`). */
  readonly defaultTimeZone: string;
  /** A site by id: listed, or (when not restricted) any id with the defaults; undefined when unknown. */
  get(id: string): Site | undefined;
  /**
   * The site Plausible's tracker means by `domain` (lower case, `www.`
   * stripped): the listed site that names it, else (when not restricted) the
   * site whose id is that domain; undefined when none.
   */
  byPlausibleDomain(domain: string): Site | undefined;
  /** The site Umami's tracker means by a website id: the listed site that names it, else (when not restricted) the site of that id. */
  byUmamiWebsite(websiteId: string): Site | undefined;
}

export const SITE_ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/;
export const EXTENSION = /^[a-z0-9]{1,16}$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
export const HOSTNAME = /^(?:\*\.)?[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)*(?::\d{1,5})?$/;

/**
 * Parses `FOOTFALL_SITES`: a comma list of sites, each an id followed by
 * optional `;key=value` settings:
 *
 *   shop;domains=shop.example|www.shop.example;tz=Europe/Berlin;public;downloads=pdf|zip, blog
 *
 * `domains` (`|`-separated hostnames, `*.` for subdomains), `tz` (IANA zone,
 * default `defaultTimeZone`), `public` (stats readable without a key),
 * `downloads` (`|`-separated file extensions whose links count as downloads,
 * instead of the default list), `plausible` (`|`-separated domains Plausible's
 * tracker names the site by; may be given more than once), `umami` (the
 * Umami website id its tracker names the site by).
 * Throws an Error whose message says what is wrong; the caller names the variable.
 */
export function parseSites(value: string | undefined, defaultTimeZone: string): Sites {
  const list: Site[] = [];
  for (const entry of (value ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)) {
    const [id = '', ...settings] = entry.split(';').map((s) => s.trim());
    if (!SITE_ID.test(id)) throw new Error(`"${id}" is not a site id (letters, digits, ".", "_", "-"; up to 100)`);
    if (list.some((s) => s.id === id)) throw new Error(`site "${id}" is listed twice`);
    let domains: string[] = [];
    let timeZone = defaultTimeZone;
    let isPublic = false;
    let downloads: string[] | undefined;
    let plausible: string[] | undefined;
    let umami: string | undefined;
    for (const setting of settings.filter(Boolean)) {
      const [key, raw = ''] = setting.split('=', 2).map((s) => s.trim()) as [string, string?];
      if (key === 'domains') {
        domains = raw
          .split('|')
          .map((d) => d.trim().toLowerCase())
          .filter(Boolean);
        const bad = domains.find((d) => !HOSTNAME.test(d));
        if (bad !== undefined || domains.length === 0) throw new Error(`site "${id}": "${bad ?? raw}" is not a hostname`);
      } else if (key === 'tz') {
        if (!isValidTimeZone(raw)) throw new Error(`site "${id}": "${raw}" is not an IANA time zone`);
        timeZone = raw;
      } else if (key === 'public' && (raw === '' || raw === 'true')) {
        isPublic = true;
      } else if (key === 'downloads') {
        downloads = raw
          .split('|')
          .map((e) => e.trim().toLowerCase().replace(/^\./, ''))
          .filter(Boolean);
        const bad = downloads.find((e) => !EXTENSION.test(e));
        if (bad !== undefined || downloads.length === 0)
          throw new Error(`site "${id}": "${bad ?? raw}" is not a file extension (letters and digits, up to 16)`);
      } else if (key === 'plausible') {
        const named = raw.split('|').map(plausibleDomain).filter(Boolean);
        const bad = named.find((d) => !HOSTNAME.test(d) || d.startsWith('*.'));
        if (bad !== undefined || named.length === 0) throw new Error(`site "${id}": "${bad ?? raw}" is not a domain for plausible=`);
        plausible = [...(plausible ?? []), ...named];
      } else if (key === 'umami') {
        const website = raw.toLowerCase();
        if (!UUID.test(website)) throw new Error(`site "${id}": "${raw}" is not an Umami website id (a UUID) for umami=`);
        umami = website;
      } else {
        throw new Error(`site "${id}": unknown setting "${setting}" (expected domains=, tz=, public, downloads=, plausible= or umami=)`);
      }
    }
    const site: Site = {
      id,
      domains: Object.freeze(domains),
      timeZone,
      public: isPublic,
      ...(downloads ? { downloads: Object.freeze(downloads) } : {}),
      ...(plausible ? { plausible: Object.freeze(plausible) } : {}),
      ...(umami ? { umami } : {}),
    };
    list.push(Object.freeze(site));
  }
  const { byPlausible, byUmami } = otherNamesOf(list, true);

  const byId = new Map(list.map((s) => [s.id, s]));
  const restricted = list.length > 0;
  const defaults = new Map<string, Site>();
  const sites: Sites = Object.freeze({
    restricted,
    list: Object.freeze(list),
    defaultTimeZone,
    // An unrestricted collector takes any site: another tool's name for one is its id.
    byPlausibleDomain: (domain: string) => byPlausible.get(domain) ?? (restricted ? undefined : sites.get(domain)),
    byUmamiWebsite: (websiteId: string) => byUmami.get(websiteId) ?? (restricted ? undefined : sites.get(websiteId)),
    get(id: string) {
      const listed = byId.get(id);
      if (listed || restricted) return listed;
      if (!SITE_ID.test(id)) return undefined;
      let site = defaults.get(id);
      if (!site) {
        site = Object.freeze({ id, domains: [], timeZone: defaultTimeZone, public: false });
        if (defaults.size < 10_000) defaults.set(id, site);
      }
      return site;
    },
  });
  return sites;
}

/**
 * The sites by the names Plausible's and Umami's trackers know them by. Two
 * sites under one name: a configuration error when `strict`, else the first.
 */
export function otherNamesOf(list: readonly Site[], strict: boolean): { byPlausible: Map<string, Site>; byUmami: Map<string, Site> } {
  const byPlausible = new Map<string, Site>();
  const byUmami = new Map<string, Site>();
  for (const site of list) {
    for (const domain of plausibleDomainsOf(site)) {
      const other = byPlausible.get(domain);
      if (other && other !== site && strict)
        throw new Error(`Plausible domain "${domain}" names both site "${other.id}" and site "${site.id}"`);
      if (!other) byPlausible.set(domain, site);
    }
    if (site.umami === undefined) continue;
    const other = byUmami.get(site.umami);
    if (other && strict) throw new Error(`Umami website "${site.umami}" names both site "${other.id}" and site "${site.id}"`);
    if (!other) byUmami.set(site.umami, site);
  }
  return { byPlausible, byUmami };
}

/** A domain as Plausible compares them: trimmed, lower case, without a leading `www.`. */
export function plausibleDomain(domain: string): string {
  return domain
    .trim()
    .toLowerCase()
    .replace(/^www\./, '');
}

/** The domains Plausible's tracker may name a site by: its `plausible=` list, else its own exact `domains`. */
export function plausibleDomainsOf(site: Site): readonly string[] {
  if (site.plausible) return site.plausible;
  return [...new Set(site.domains.filter((d) => !d.startsWith('*.')).map((d) => plausibleDomain(d.replace(/:\d+$/, ''))))];
}

/** True when `origin` (e.g. `https://www.shop.example`) is one of the site's domains, or it lists none. */
export function originAllowed(site: Site, origin: string | undefined): boolean {
  if (site.domains.length === 0) return true;
  if (!origin) return false;
  let host: string;
  try {
    host = new URL(origin).host.toLowerCase();
  } catch {
    return false;
  }
  return hostInDomains(host, site.domains);
}

/** True when `host` (lower case, with or without a port) is one of `domains`, or under a `*.` one. */
export function hostInDomains(host: string, domains: readonly string[]): boolean {
  const bare = host.replace(/:\d+$/, '');
  return domains.some((d) => (d.startsWith('*.') ? bare.endsWith(d.slice(1)) || bare === d.slice(2) : d === host || d === bare));
}

/** Every zone the sites count days in: what the visitor salts must cover. */
export function siteTimeZones(sites: Sites): string[] {
  return [...new Set([sites.defaultTimeZone, ...sites.list.map((s) => s.timeZone)])];
}

/** The zone each site counts its days in, as the store asks for it (unlisted sites: the default zone). */
export function timeZoneOf(sites: Sites): (siteId: string) => string {
  return (siteId) => sites.get(siteId)?.timeZone ?? sites.defaultTimeZone;
}
