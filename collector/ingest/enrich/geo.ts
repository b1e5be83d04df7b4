import { readFileSync } from 'node:fs';
import { BlockList, isIP } from 'node:net';
import { createRequire } from 'node:module';
import { Reader, type Response } from 'mmdb-lib';

/** Where a visitor is, as stored on each event; each null when unknown. */
export interface GeoFacts {
  /** ISO 3166-1 alpha-2, such as `DE`. */
  readonly country: string | null;
  /** The first subdivision's English name, such as `Bavaria` (city database only). */
  readonly region: string | null;
  /** The city's English name (city database only). */
  readonly city: string | null;
}

/** Looks an IP address up; never throws, and never keeps the address. */
export type GeoLocator = (ip: string) => GeoFacts;

export const NO_GEO: GeoFacts = Object.freeze({ country: null, region: null, city: null });

/** The country database that ships with Footfall (CC BY 4.0 data; see the README). */
export function packagedCountryDatabase(): string {
  return createRequire(import.meta.url).resolve('@ip-location-db/geo-whois-asn-country-mmdb/geo-whois-asn-country.mmdb');
}

/** Opens an MMDB file; the error names the file and what is wrong with it. */
export function openMmdb(path: string): Reader<Response> {
  let bytes: Buffer;
  try {
    bytes = readFileSync(path);
  } catch (error) {
    throw new Error(`cannot read ${path}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
  try {
    return new Reader<Response>(bytes);
  } catch (error) {
    throw new Error(`${path} is not a MaxMind DB file (${(error as Error).message})`);
  }
}

// The shapes of the records this reads: MaxMind's GeoIP2/GeoLite2 and DB-IP
// (`country.iso_code`, `subdivisions`, `city.names`) and ip-location-db
// (`country_code`, `state1`, `city`).
interface GeoRecord {
  country_code?: string;
  state1?: string;
  city?: string | { names?: Record<string, string> };
  country?: { iso_code?: string };
  registered_country?: { iso_code?: string };
  subdivisions?: { names?: Record<string, string> }[];
}

/** Reads country, region and city from one database record. */
export function readGeoRecord(record: unknown): GeoFacts {
  if (!record || typeof record !== 'object') return NO_GEO;
  const r = record as GeoRecord;
  const country = r.country?.iso_code ?? r.country_code ?? r.registered_country?.iso_code ?? null;
  const region = r.subdivisions?.[0]?.names?.en ?? r.state1 ?? null;
  const city = typeof r.city === 'string' ? r.city : (r.city?.names?.en ?? null);
  return { country: country ? country.toUpperCase() : null, region: region || null, city: city || null };
}

/**
 * An IP address as the databases take it: an IPv4 address mapped into IPv6
 * (`::ffff:1.2.3.4`, as dual-stack sockets report them) becomes plain IPv4,
 * and an IPv6 zone (`%eth0`) is dropped.
 */
export function normalizeIp(ip: string): string {
  const zone = ip.indexOf('%');
  const bare = zone === -1 ? ip : ip.slice(0, zone);
  return bare.startsWith('::ffff:') && bare.includes('.') ? bare.slice(7) : bare;
}

// Private, loopback, link-local, shared and documentation ranges are nowhere:
// the free country data places some of them in a country by mistake.
const NOWHERE = new BlockList();
for (const [network, prefix] of [
  ['0.0.0.0', 8], ['10.0.0.0', 8], ['100.64.0.0', 10], ['127.0.0.0', 8], ['169.254.0.0', 16], ['172.16.0.0', 12],
  ['192.0.0.0', 24], ['192.0.2.0', 24], ['192.168.0.0', 16], ['198.18.0.0', 15], ['198.51.100.0', 24], ['203.0.113.0', 24], ['224.0.0.0', 3],
] as const) NOWHERE.addSubnet(network, prefix, 'ipv4');
for (const [network, prefix] of [['::', 127], ['fc00::', 7], ['fe80::', 10], ['2001:db8::', 32], ['ff00::', 8]] as const) NOWHERE.addSubnet(network, prefix, 'ipv6');

/**
 * Region and city, and the country, from the city database when there is one
 * (a commercial one is the more exact); the country from the country database
 * where the city database has none.
 */
export function createGeoLocator(countryDb: Reader<Response> | null, cityDb: Reader<Response> | null = null): GeoLocator {
  if (!countryDb && !cityDb) return () => NO_GEO;
  return function locate(ip) {
    const address = normalizeIp(ip);
    const family = isIP(address);
    if (family === 0 || NOWHERE.check(address, family === 4 ? 'ipv4' : 'ipv6')) return NO_GEO;
    try {
      const city = cityDb ? readGeoRecord(cityDb.get(address)) : NO_GEO;
      const country = city.country ?? (countryDb ? readGeoRecord(countryDb.get(address)).country : null);
      if (!country && !city.region && !city.city) return NO_GEO;
      return { country, region: city.region, city: city.city };
    } catch {
      // An address the database cannot parse: no location. The error would quote the address, so it is not logged.
      return NO_GEO;
    }
  };
}
