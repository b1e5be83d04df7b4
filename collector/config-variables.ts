import { z } from 'zod';
import { type ApiKey, parseApiKeys } from './api-keys.ts';
import { parseBytes, parseChoice, parseCount, parseDatabaseUrl, parseFile, parsePath, parsePort, parseSwitch } from './config-parsers.ts';
import { parseTrustProxy } from './ingest/client-ip.ts';
import { DEFAULT_QUEUE_LIMITS, DEFAULT_WRITER_OPTIONS } from './ingest/pipeline.ts';
import { parseRateLimit, type RateLimit } from './ingest/rate-limit.ts';
import { parseTestToken } from './ingest/test-traffic.ts';
import { DEFAULT_REPORTS_FROM, parseReportsFrom, parseSmtpUrl } from './reports/reports-config.ts';
import { parseSites, type Sites } from './sites.ts';
import { isValidTimeZone } from './timezone.ts';

/** What the configuration page says of a variable: its default as shown there, and what it means (Markdown). */
export interface VariableDoc {
  readonly default: string;
  readonly description: string;
}

/** Each variable's schema with its doc: the configuration page's table is made from it. */
export const variableDocs = z.registry<VariableDoc>();

/** How events are answered: `queued` (202 once queued) or `durable` (202 once committed). */
const WRITE_MODES = ['queued', 'durable'] as const;
export type WriteMode = (typeof WRITE_MODES)[number];

export const DEFAULT_DATABASE_PATH = 'data/footfall.db';
/** A generous default: a hundred requests a second from one address, sustained. */
const DEFAULT_RATE_LIMIT: RateLimit = { requests: 6000, windowMs: 60_000 };

interface VariableSpec<T> {
  /** What unset or blank means. */
  readonly fallback: T;
  /** The default as the docs show it; `fallback` in backticks when absent. */
  readonly shown?: string;
  readonly description: string;
  /** Reads the trimmed, non-blank text; throws an Error saying what is wrong. */
  readonly parse: (value: string) => T;
}

/** One variable's schema: its text trimmed, unset or blank as the fallback, else parsed; what is wrong is its issue. */
function variable<T>(spec: VariableSpec<T>) {
  return z
    .string()
    .optional()
    .transform((raw, ctx): T => {
      const value = raw?.trim();
      if (!value) return spec.fallback;
      try {
        return spec.parse(value);
      } catch (error) {
        ctx.addIssue({ code: 'custom', message: (error as Error).message });
        return z.NEVER;
      }
    })
    .register(variableDocs, { default: spec.shown ?? `\`${String(spec.fallback)}\``, description: spec.description });
}

const count = (min: number, max: number) => (value: string) => parseCount(value, min, max);

/** The collector's environment, one schema a variable, in the order the docs list them. */
export const COLLECTOR_ENVIRONMENT = z.object({
  PORT: variable({ fallback: 8000, parse: parsePort, description: "the collector's HTTP port (`0`: any free port)" }),
  HOST: variable<string | undefined>({
    fallback: undefined,
    shown: 'all interfaces',
    parse: (value) => value,
    description: 'the interface to listen on',
  }),
  DATABASE_URL: variable({
    fallback: { kind: 'sqlite', path: DEFAULT_DATABASE_PATH },
    shown: `\`${DEFAULT_DATABASE_PATH}\``,
    parse: parseDatabaseUrl,
    description:
      'a SQLite file path, or `sqlite:PATH` / `sqlite:///ABSOLUTE/PATH`; or `postgres://USER:PASSWORD@HOST:5432/DATABASE` for PostgreSQL, shared by several collectors (see [Several collectors](postgres.md))',
  }),
  // The sites' default zone is FOOTFALL_TIMEZONE's: the sites are made once both are read.
  FOOTFALL_SITES: variable<(defaultTimeZone: string) => Sites>({
    fallback: (zone) => parseSites(undefined, zone),
    shown: 'any site id',
    parse: (value) => {
      parseSites(value, 'UTC');
      return (zone) => parseSites(value, zone);
    },
    description:
      'the sites accepted, a comma list of `id[;domains=a.example\\|*.b.example][;tz=Europe/Berlin][;public][;downloads=pdf\\|zip\\|stl]`: `domains` are the origins browsers may send from (others get `403`; none listed: any), `tz` the zone its days are counted in, `public` lets anyone read its stats, `downloads` the file extensions whose links count as downloads instead of the default list. Other site ids get `400 unknown site`',
  }),
  FOOTFALL_TIMEZONE: variable({
    fallback: 'UTC',
    parse: (value) => {
      if (!isValidTimeZone(value)) throw new Error(`"${value}" is not an IANA time zone such as Europe/Berlin`);
      return value;
    },
    description: 'the zone of sites that name none',
  }),
  FOOTFALL_API_KEYS: variable<readonly ApiKey[]>({
    fallback: [],
    shown: 'none',
    parse: parseApiKeys,
    description:
      'comma list of keys (16–256 characters), each allowed everything on its sites (read, export, manage tracked links, delete: see [Keys](stats-api.md#keys)), optionally only on `:site1\\|site2`; create one with `npm run footfall -- keys create`',
  }),
  TRUST_PROXY: variable({
    fallback: parseTrustProxy(undefined),
    shown: '`false`',
    parse: parseTrustProxy,
    description:
      'where the client address comes from: `false` the socket; `true` or a number N: the Nth address from the end of `X-Forwarded-For` (set by your N proxies); a header name such as `CF-Connecting-IP` or `X-Real-IP`: that header',
  }),
  RATE_LIMIT: variable({
    fallback: DEFAULT_RATE_LIMIT as RateLimit | null,
    shown: '`6000/1m`',
    parse: (value) => parseRateLimit(value, DEFAULT_RATE_LIMIT),
    description:
      'requests per client address to `/event` and the batch endpoint, as `REQUESTS/PERIOD` (`s`, `m`, `h`); `off` to disable. Past it: `429` with `Retry-After`',
  }),
  GEOIP_COUNTRY_DB: variable<string | null | undefined>({
    fallback: undefined,
    shown: 'the packaged database',
    parse: (value) => (value.toLowerCase() === 'off' ? null : parseFile(value)),
    description: 'an MMDB file for countries (for example a fresher download of the same data); `off` for no countries',
  }),
  GEOIP_CITY_DB: variable<string | null>({
    fallback: null,
    shown: 'none',
    parse: parseFile,
    description: 'a MaxMind-format city MMDB file; adds region and city (and its country takes precedence)',
  }),
  QUEUE_MAX_EVENTS: variable({
    fallback: DEFAULT_QUEUE_LIMITS.maxEvents,
    parse: count(1, 10_000_000),
    description: 'events held before writing; past it, `503`',
  }),
  QUEUE_MAX_BYTES: variable({
    fallback: DEFAULT_QUEUE_LIMITS.maxBytes,
    shown: `\`${DEFAULT_QUEUE_LIMITS.maxBytes / 1024 ** 2}MB\``,
    parse: parseBytes,
    description: 'request bytes held before writing (`KB`, `MB`, `GB`); past it, `503`',
  }),
  FLUSH_INTERVAL_MS: variable({
    fallback: DEFAULT_WRITER_OPTIONS.intervalMs,
    parse: count(10, 60_000),
    description: 'how often the writer writes what is queued (a full batch is written at once)',
  }),
  FLUSH_BATCH_SIZE: variable({
    fallback: DEFAULT_WRITER_OPTIONS.batchSize,
    parse: count(1, 100_000),
    description: 'events per transaction',
  }),
  WRITE_MODE: variable<WriteMode>({
    fallback: 'queued',
    parse: parseChoice(WRITE_MODES),
    description:
      '`queued`: a `202` once the event is queued; `durable`: once it is committed, and on SQLite on disk (see "A 202 is a promise")',
  }),
  FOOTFALL_TEST_TOKEN: variable<string | null>({
    fallback: null,
    shown: 'none',
    parse: parseTestToken,
    description:
      "a secret (16–256 characters) that lets a site's own browser tests be counted from a headless browser: they load the script as `/footfall.js?footfall_test=TOKEN` (see [Counting a site's own browser tests](tracker.md#counting-a-sites-own-browser-tests))",
  }),
  LOG_REQUESTS: variable({
    fallback: true,
    parse: parseSwitch,
    description: 'one JSON log line per request (`false`: only flushes, warnings and errors)',
  }),
  FOOTFALL_SCRIPT_PATH: variable({ fallback: '/footfall.js', parse: parsePath, description: 'where the tracker script is served' }),
  FOOTFALL_EVENTS_PATH: variable({
    fallback: '/events',
    parse: parsePath,
    description: "another path for the tracker's batch endpoint (`/events` keeps answering)",
  }),
  RETENTION_DAYS: variable<number | null>({
    fallback: null,
    shown: 'keep for ever',
    parse: (value) => (value.toLowerCase() === 'off' ? null : parseCount(value, 1, 36_500)),
    description:
      'delete raw events older than this many days (`1`–`36500`); rollups keep the totals (see [Retention](data-lifecycle.md#retention))',
  }),
  SMTP_URL: variable<string | null>({
    fallback: null,
    shown: 'no email',
    parse: parseSmtpUrl,
    description:
      '`smtp://user:password@host:587` or `smtps://…:465`: the server scheduled reports are emailed through (see [Reports and alerts](insights.md#reports-and-alerts)); webhooks need nothing',
  }),
  REPORTS_FROM: variable({
    fallback: DEFAULT_REPORTS_FROM,
    shown: `\`${DEFAULT_REPORTS_FROM}\``,
    parse: parseReportsFrom,
    description: 'the From address of reports, bare or as `Name <address>`',
  }),
});

/** What `npm start` reads besides the collector's environment. */
export const DEMO_ENVIRONMENT = z.object({
  DEMO_PORT: variable<number | null>({
    fallback: null,
    shown: '`PORT + 1`',
    parse: parsePort,
    description: "`npm start` only: the demo site's port",
  }),
});
