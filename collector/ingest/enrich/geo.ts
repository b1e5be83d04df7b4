import { readFileSync } from 'node:fs';
import { isIP } from 'node:net';
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

/** The country database that ships with Footfall (CC BY 4.0 data; see docs/operations.md). */
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

/**
 * Private, loopback, link-local, shared, multicast and documentation addresses
 * are nowhere (the free country data places some of them in a country by
 * mistake). Plain arithmetic: `net.BlockList` costs more than the lookup.
 */
export function isNowhere(address: string, family: 4 | 6): boolean {
  if (family === 4) {
    const dot1 = address.indexOf('.');
    const dot2 = address.indexOf('.', dot1 + 1);
    const a = Number(address.slice(0, dot1));
    const b = Number(address.slice(dot1 + 1, dot2));
    const c = Number(address.slice(dot2 + 1, address.indexOf('.', dot2 + 1)));
    return (
      a === 0 ||
      a === 10 ||
      a === 127 ||
      a >= 224 ||
      (a === 100 && b >= 64 && b < 128) ||
      (a === 169 && b === 254) ||
      (a === 172 && b >= 16 && b < 32) ||
      (a === 192 && ((b === 0 && (c === 0 || c === 2)) || b === 168)) ||
      (a === 198 && (b === 18 || b === 19 || (b === 51 && c === 100))) ||
      (a === 203 && b === 0 && c === 113)
    );
  }
  if (address.startsWith('::')) return true; // unspecified, loopback, and the obsolete IPv4-compatible range
  const colon = address.indexOf(':');
  const first = parseInt(address.slice(0, colon), 16);
  if ((first & 0xfe00) === 0xfc00 || (first & 0xffc0) === 0xfe80 || (first & 0xff00) === 0xff00) return true;
  return first === 0x2001 && parseInt(address.slice(colon + 1, address.indexOf(':', colon + 1)), 16) === 0xdb8;
}

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
    if (family === 0 || isNowhere(address, family as 4 | 6)) return NO_GEO;
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
