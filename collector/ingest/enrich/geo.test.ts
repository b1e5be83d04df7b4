import { Reader } from 'mmdb-lib';
import { describe, expect, it } from 'vitest';
import { createGeoLocator, isNowhere, normalizeIp, openMmdb, packagedCountryDatabase, readGeoRecord } from './geo.ts';
import { buildMmdb } from '../../../testing/test-mmdb.ts';

const cityDb = new Reader(
  buildMmdb('GeoLite2-City', [
    {
      cidr: '81.2.69.0/24',
      data: {
        city: { names: { en: 'Munich', de: 'München' } },
        country: { iso_code: 'DE' },
        subdivisions: [{ iso_code: 'BY', names: { en: 'Bavaria' } }],
      },
    },
    { cidr: '2a02:ec0::/32', data: { country: { iso_code: 'FR' }, city: { names: { en: 'Lyon' } } } },
  ]),
);

describe('the packaged country database', () => {
  const locate = createGeoLocator(openMmdb(packagedCountryDatabase()));

  it('places public IPv4 and IPv6 addresses in their countries', () => {
    expect(locate('8.8.8.8')).toEqual({ country: 'US', region: null, city: null });
    expect(locate('2a00:1450:4001:80b::200e').country).toBe('IE');
    expect(locate('::ffff:8.8.8.8').country).toBe('US');
  });

  it('places private, loopback and unparseable addresses nowhere', () => {
    for (const ip of [
      '127.0.0.1',
      '10.1.2.3',
      '192.168.0.1',
      '172.20.0.5',
      '198.51.100.7',
      '203.0.113.7',
      '::1',
      'fd00::1',
      '',
      'not-an-ip',
      '999.1.1.1',
    ]) {
      expect(locate(ip)).toEqual({ country: null, region: null, city: null });
    }
  });
});

describe('a city database', () => {
  it('adds region and city, its country taking precedence, the country database filling in', () => {
    const locate = createGeoLocator(openMmdb(packagedCountryDatabase()), cityDb);
    expect(locate('81.2.69.142')).toEqual({ country: 'DE', region: 'Bavaria', city: 'Munich' });
    expect(locate('8.8.8.8')).toEqual({ country: 'US', region: null, city: null });
  });

  it('serves alone, country included', () => {
    const locate = createGeoLocator(null, cityDb);
    expect(locate('81.2.69.200')).toEqual({ country: 'DE', region: 'Bavaria', city: 'Munich' });
    expect(locate('2a02:ec0::1')).toEqual({ country: 'FR', region: null, city: 'Lyon' });
    expect(locate('81.2.70.1')).toEqual({ country: null, region: null, city: null });
  });
});

describe('readGeoRecord', () => {
  it('reads the ip-location-db city layout too', () => {
    expect(readGeoRecord({ country_code: 'jp', state1: 'Tokyo', city: 'Shibuya' })).toEqual({
      country: 'JP',
      region: 'Tokyo',
      city: 'Shibuya',
    });
    expect(readGeoRecord(null)).toEqual({ country: null, region: null, city: null });
  });
});

describe('normalizeIp', () => {
  it('unmaps IPv4-mapped IPv6 and drops zones', () => {
    expect(normalizeIp('::ffff:203.0.113.9')).toBe('203.0.113.9');
    expect(normalizeIp('fe80::1%eth0')).toBe('fe80::1');
    expect(normalizeIp('2001:db8::1')).toBe('2001:db8::1');
  });
});

describe('openMmdb', () => {
  it('names the file and the fault', () => {
    expect(() => openMmdb('/nonexistent/city.mmdb')).toThrow(/cannot read \/nonexistent\/city.mmdb: ENOENT/);
    expect(() => openMmdb(new URL(import.meta.url).pathname)).toThrow(/is not a MaxMind DB file/);
  });
});

describe('no database', () => {
  it('locates nothing', () => {
    expect(createGeoLocator(null, null)('8.8.8.8')).toEqual({ country: null, region: null, city: null });
  });
});

describe('isNowhere', () => {
  it.each([
    '0.1.2.3',
    '10.0.0.1',
    '100.64.0.1',
    '100.127.255.255',
    '127.0.0.1',
    '169.254.1.1',
    '172.16.0.1',
    '172.31.255.255',
    '192.0.0.8',
    '192.0.2.1',
    '192.168.1.1',
    '198.18.0.1',
    '198.19.255.1',
    '198.51.100.1',
    '203.0.113.1',
    '224.0.0.1',
    '255.255.255.255',
  ])('IPv4 %s is nowhere', (ip) => expect(isNowhere(ip, 4)).toBe(true));
  it.each([
    '1.1.1.1',
    '8.8.8.8',
    '100.63.255.255',
    '100.128.0.1',
    '172.15.0.1',
    '172.32.0.1',
    '192.0.1.1',
    '192.169.0.1',
    '198.20.0.1',
    '203.0.114.1',
  ])('IPv4 %s is somewhere', (ip) => expect(isNowhere(ip, 4)).toBe(false));
  it.each(['::', '::1', 'fc00::1', 'fdab::1', 'fe80::1', 'febf::1', 'ff02::1', '2001:db8::1', '2001:0db8:1::'])(
    'IPv6 %s is nowhere',
    (ip) => expect(isNowhere(ip, 6)).toBe(true),
  );
  it.each(['2a00:1450:4001:80b::200e', '2001:4860::8888', 'fec0::1', '2001:db9::1'])('IPv6 %s is somewhere', (ip) =>
    expect(isNowhere(ip, 6)).toBe(false),
  );
});
