import { describe, expect, it } from 'vitest';
import { ConfigError, DEFAULT_DATABASE_PATH, loadConfig } from './config.ts';

describe('loadConfig', () => {
  it('defaults to port 8000, a SQLite file under ./data, any site and no keys', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({ port: 8000, host: undefined, database: { kind: 'sqlite', path: DEFAULT_DATABASE_PATH }, apiKeys: [] });
    expect(config.sites.restricted).toBe(false);
    expect(config.sites.get('any-site')).toEqual({ id: 'any-site', domains: [], timeZone: 'UTC', public: false });
  });

  it('reads sites with domains, zones and visibility, and a default zone', () => {
    const { sites } = loadConfig({
      FOOTFALL_TIMEZONE: 'America/New_York',
      FOOTFALL_SITES: 'shop;domains=shop.example|*.shop.example;tz=Europe/Berlin;public;downloads=PDF|.stl|step, blog',
    });
    expect(sites.restricted).toBe(true);
    expect(sites.get('shop')).toEqual({
      id: 'shop',
      domains: ['shop.example', '*.shop.example'],
      timeZone: 'Europe/Berlin',
      public: true,
      downloads: ['pdf', 'stl', 'step'],
    });
    expect(sites.get('blog')).toEqual({ id: 'blog', domains: [], timeZone: 'America/New_York', public: false });
    expect(sites.get('other')).toBeUndefined();
  });

  it('reads API keys, some limited to sites', () => {
    const { apiKeys } = loadConfig({ FOOTFALL_API_KEYS: 'aaaaaaaaaaaaaaaa, bbbbbbbbbbbbbbbb:shop|blog' });
    expect(apiKeys).toEqual([
      { key: 'aaaaaaaaaaaaaaaa', sites: null },
      { key: 'bbbbbbbbbbbbbbbb', sites: ['shop', 'blog'] },
    ]);
  });

  it('defaults ingestion to the socket address, a generous rate limit, the packaged country data and bounded queue', () => {
    expect(loadConfig({}).ingest).toEqual({
      trustProxy: { kind: 'none' },
      rateLimit: { requests: 6000, windowMs: 60_000 },
      countryDb: undefined,
      cityDb: null,
      queue: { maxEvents: 50_000, maxBytes: 32 * 1024 * 1024 },
      flushIntervalMs: 200,
      flushBatchSize: 1000,
      logRequests: true,
      writeMode: 'queued',
      testToken: null,
    });
  });

  it('reads the ingestion settings', () => {
    const here = new URL(import.meta.url).pathname;
    const { ingest } = loadConfig({
      TRUST_PROXY: '2',
      RATE_LIMIT: '100/10s',
      GEOIP_COUNTRY_DB: 'off',
      GEOIP_CITY_DB: here,
      QUEUE_MAX_EVENTS: '1_000',
      QUEUE_MAX_BYTES: '8MB',
      FLUSH_INTERVAL_MS: '50',
      FLUSH_BATCH_SIZE: '250',
      LOG_REQUESTS: 'false',
      WRITE_MODE: 'durable',
      FOOTFALL_TEST_TOKEN: 'a-test-token-of-32-characters-00',
    });
    expect(ingest).toEqual({
      trustProxy: { kind: 'hops', hops: 2 },
      rateLimit: { requests: 100, windowMs: 10_000 },
      countryDb: null,
      cityDb: here,
      queue: { maxEvents: 1000, maxBytes: 8 * 1024 * 1024 },
      flushIntervalMs: 50,
      flushBatchSize: 250,
      logRequests: false,
      writeMode: 'durable',
      testToken: 'a-test-token-of-32-characters-00',
    });
    expect(loadConfig({ RATE_LIMIT: 'off' }).ingest.rateLimit).toBeNull();
  });

  it('reads PORT and the forms of a SQLite DATABASE_URL', () => {
    expect(loadConfig({ PORT: '0' }).port).toBe(0);
    expect(loadConfig({ PORT: ' 9100 ' }).port).toBe(9100);
    expect(loadConfig({ DATABASE_URL: 'stats/site.db' }).database).toEqual({ kind: 'sqlite', path: 'stats/site.db' });
    expect(loadConfig({ DATABASE_URL: 'sqlite:stats/site.db' }).database).toEqual({ kind: 'sqlite', path: 'stats/site.db' });
    expect(loadConfig({ DATABASE_URL: 'sqlite:///var/lib/footfall.db' }).database).toEqual({
      kind: 'sqlite',
      path: '/var/lib/footfall.db',
    });
    expect(loadConfig({ DATABASE_URL: 'file:x.db' }).database).toEqual({ kind: 'sqlite', path: 'x.db' });
    expect(loadConfig({ DATABASE_URL: ':memory:' }).database).toEqual({ kind: 'sqlite', path: ':memory:' });
  });

  it('selects PostgreSQL for a postgres:// or postgresql:// DATABASE_URL', () => {
    const url = 'postgres://footfall:secret@db.internal:5432/footfall?sslmode=require';
    expect(loadConfig({ DATABASE_URL: url }).database).toEqual({ kind: 'postgres', url });
    expect(loadConfig({ DATABASE_URL: 'postgresql://db/footfall' }).database).toEqual({
      kind: 'postgres',
      url: 'postgresql://db/footfall',
    });
    expect(loadConfig({ DATABASE_URL: 'postgres:///footfall?host=/run/postgresql' }).database).toMatchObject({ kind: 'postgres' });
  });

  it('serves the tracker at /footfall.js and /events unless renamed', () => {
    expect(loadConfig({}).paths).toEqual({ script: '/footfall.js', events: '/events' });
    expect(loadConfig({ FOOTFALL_SCRIPT_PATH: '/js/app.js', FOOTFALL_EVENTS_PATH: ' /api/collect ' }).paths).toEqual({
      script: '/js/app.js',
      events: '/api/collect',
    });
  });

  it.each([
    [{ FOOTFALL_SCRIPT_PATH: 'js/app.js' }, 'FOOTFALL_SCRIPT_PATH'],
    [{ FOOTFALL_SCRIPT_PATH: '/js/../app.js?x' }, 'FOOTFALL_SCRIPT_PATH'],
    [{ FOOTFALL_EVENTS_PATH: '/stats' }, 'FOOTFALL_EVENTS_PATH'],
    [{ FOOTFALL_EVENTS_PATH: '/a b' }, 'FOOTFALL_EVENTS_PATH'],
    [{ PORT: 'eighty' }, 'PORT'],
    [{ PORT: '70000' }, 'PORT'],
    [{ PORT: '-1' }, 'PORT'],
    [{ PORT: '80.5' }, 'PORT'],
    [{ DATABASE_URL: 'mysql://localhost/db' }, 'DATABASE_URL'],
    [{ DATABASE_URL: 'sqlite:' }, 'DATABASE_URL'],
    [{ DATABASE_URL: 'postgres://db.internal:5432/' }, 'DATABASE_URL'],
    [{ DATABASE_URL: 'postgres:///footfall' }, 'DATABASE_URL'],
    [{ FOOTFALL_TIMEZONE: 'Europe/Atlantis' }, 'FOOTFALL_TIMEZONE'],
    [{ FOOTFALL_SITES: 'shop;tz=Nowhere/Town' }, 'FOOTFALL_SITES'],
    [{ FOOTFALL_SITES: 'shop;domains=not a host' }, 'FOOTFALL_SITES'],
    [{ FOOTFALL_SITES: 'shop;colour=blue' }, 'FOOTFALL_SITES'],
    [{ FOOTFALL_SITES: 'shop;downloads=' }, 'FOOTFALL_SITES'],
    [{ FOOTFALL_SITES: 'shop;downloads=pdf|tar.gz' }, 'FOOTFALL_SITES'],
    [{ FOOTFALL_SITES: 'shop, shop' }, 'FOOTFALL_SITES'],
    [{ FOOTFALL_SITES: 'bad site' }, 'FOOTFALL_SITES'],
    [{ FOOTFALL_API_KEYS: 'short' }, 'FOOTFALL_API_KEYS'],
    [{ FOOTFALL_API_KEYS: 'aaaaaaaaaaaaaaaa:' }, 'FOOTFALL_API_KEYS'],
    [{ TRUST_PROXY: 'maybe so' }, 'TRUST_PROXY'],
    [{ RATE_LIMIT: 'plenty' }, 'RATE_LIMIT'],
    [{ GEOIP_CITY_DB: '/nonexistent/GeoLite2-City.mmdb' }, 'GEOIP_CITY_DB'],
    [{ GEOIP_COUNTRY_DB: '/nonexistent/country.mmdb' }, 'GEOIP_COUNTRY_DB'],
    [{ QUEUE_MAX_EVENTS: '0' }, 'QUEUE_MAX_EVENTS'],
    [{ QUEUE_MAX_EVENTS: 'many' }, 'QUEUE_MAX_EVENTS'],
    [{ QUEUE_MAX_BYTES: '1KB' }, 'QUEUE_MAX_BYTES'],
    [{ QUEUE_MAX_BYTES: '32 furlongs' }, 'QUEUE_MAX_BYTES'],
    [{ FLUSH_INTERVAL_MS: '1' }, 'FLUSH_INTERVAL_MS'],
    [{ FLUSH_BATCH_SIZE: '1.5' }, 'FLUSH_BATCH_SIZE'],
    [{ LOG_REQUESTS: 'sometimes' }, 'LOG_REQUESTS'],
    [{ RETENTION_DAYS: '0' }, 'RETENTION_DAYS'],
    [{ RETENTION_DAYS: '90d' }, 'RETENTION_DAYS'],
  ])('refuses %o, naming %s', (env, variable) => {
    const attempt = () => loadConfig(env);
    expect(attempt).toThrow(ConfigError);
    expect(attempt).toThrow(new RegExp(`^${variable}: `));
  });

  it('keeps raw events for ever unless RETENTION_DAYS says how many days', () => {
    expect(loadConfig({}).retentionDays).toBeNull();
    expect(loadConfig({ RETENTION_DAYS: 'off' }).retentionDays).toBeNull();
    expect(loadConfig({ RETENTION_DAYS: ' 395 ' }).retentionDays).toBe(395);
  });

  it('is frozen', () => {
    expect(Object.isFrozen(loadConfig({}))).toBe(true);
    expect(Object.isFrozen(loadConfig({}).ingest)).toBe(true);
  });
});
