import type { z } from 'zod';
import type { WriteMode } from '../config-variables.ts';
import { type BodyText, bodyError } from '../read-body.ts';
import { Refusal, type RefusalStatus } from '../refusal.ts';
import { type FieldError, fieldErrors } from '../responses.ts';
import { plausibleDomain, type Site, type Sites } from '../sites.ts';
import { campaignSource } from '../source-names.ts';
import type { IncomingEvent } from '../store/schema.ts';
import { storableText } from '../store/storable-text.ts';
import { readBatch, readBatchCandidate } from './batch-event.ts';
import { resolveClientIp, type TrustProxy } from './client-ip.ts';
import { settled, whenCommitted } from './committed.ts';
import { ingestCors } from './cors.ts';
import { type BotReason, botReason } from './enrich/bots.ts';
import { type CampaignFacts, readCampaign } from './enrich/campaign.ts';
import type { GeoLocator } from './enrich/geo.ts';
import { Lru } from './enrich/lru.ts';
import type { UserAgentFacts } from './enrich/user-agent.ts';
import type { ForeignFormat, ForeignOutcome, IngestFormat } from './foreign.ts';
import { DEFAULT_DOWNLOADS } from './link-click.ts';
import type { IngestMeter, RejectReason } from './meter.ts';
import type { Pipeline } from './pipeline.ts';
import { createRateLimiter, type RateLimit } from './rate-limit.ts';
import { createTestTrafficCheck, TEST_TRAFFIC_PARAM } from './test-traffic.ts';
import { type EventFields, type RequestFacts, toEventRow } from './to-row.ts';
import { BATCH_FIELDS, LIMITS, singleEventSchema } from './wire.ts';

export interface IngestDeps {
  readonly pipeline: Pipeline;
  readonly sites: Sites;
  /** Whose word on the client address to take; the address is used for the visitor hash, geo and rate limit, then forgotten. */
  readonly trustProxy: TrustProxy;
  /** Per client address; null when off. */
  readonly rateLimit: RateLimit | null;
  /** False while shutting down: answer 503 rather than promise what may not be written. */
  readonly isAccepting: () => boolean;
  readonly userAgent: (userAgent: string) => UserAgentFacts;
  readonly geo: GeoLocator;
  readonly meter: IngestMeter;
  readonly now?: () => number;
  /** `durable` (`WRITE_MODE`): answer 202 only once the events are committed; `queued` (the default) once they are queued. */
  readonly writeMode?: WriteMode;
  /** `FOOTFALL_TEST_TOKEN`: requests carrying it in `?footfall_test=` are counted from headless browsers. */
  readonly testToken?: string | null;
}

/** A request as ingestion reads it, whatever server or framework carries it. */
export interface IngestRequest {
  /** A header by its lower-case name. */
  header(name: string): string | undefined;
  /** A parameter of the URL's query string. */
  query(name: string): string | undefined;
  /** The connection peer's address: the client, or a proxy in front. */
  readonly socketIp: string;
  readBody(maxBytes: number): Promise<BodyText>;
}

/** What to answer: a status, headers, and a JSON body, or a plain-text one for a string (none for null). */
export interface IngestAnswer {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: object | string | null;
}

export interface Ingest {
  /** `POST /event`: one event with its own timestamp. */
  event(request: IngestRequest): Promise<IngestAnswer>;
  /** `POST /events`: the tracker's batch. */
  events(request: IngestRequest): Promise<IngestAnswer>;
  /**
   * Another tool's tracker request (`POST /api/event`, `/api/send`,
   * `/api/batch`), read by its format's adapter into events that take the
   * same path as the tracker's own, and answered as that tool answers.
   */
  foreign(request: IngestRequest, format: ForeignFormat): Promise<IngestAnswer>;
  /** `OPTIONS` on any of them: the CORS preflight; `headers` are request headers the route's senders add to Content-Type. */
  preflight(origin: string | undefined, headers?: string): IngestAnswer;
  /**
   * An event the collector saw itself rather than one sent to it (a tracked
   * link followed, a link-in-bio page viewed): rate-limited, screened for
   * bots, enriched and queued like any other, but never answered; says what
   * became of it. `tags`, a URL, gives the event the campaign its query names
   * (`utm_*`, `ref`), as a page URL's does: `/l/spring?ref=qr`.
   */
  observe(request: ObservedRequest, siteId: string, event: EventFields, tags?: string): Promise<Observed>;
}

/** A request the collector answers itself, whose visitor an observed event is of. */
export type ObservedRequest = Omit<IngestRequest, 'readBody' | 'query'>;

/** What became of an observed event: queued to be written, a bot's (not stored), or dropped, and why. */
export type Observed =
  | { readonly outcome: 'queued' }
  | { readonly outcome: 'bot'; readonly reason: BotReason }
  | { readonly outcome: 'dropped'; readonly reason: RejectReason };

const BEFORE_EARLIEST = 'dates the event before 1970-01-01T00:00:00Z, the earliest accepted';

/** The seed contract's exact answer to an accepted `POST /event`. */
export const EVENT_ACCEPTED = Object.freeze({ status: 'success', message: 'Event queued for processing' });

const NO_HEADERS: Readonly<Record<string, string>> = Object.freeze({});

/** A refusal as the ingest core answers it: the status, headers and body `app.onError` would send. */
function answerOf(refusal: Refusal): IngestAnswer {
  return { status: refusal.status, headers: refusal.headers, body: refusal.body() };
}

/** What the one who sent a dropped request can do about it, said in the answer that drops it. */
const BOT_HINTS: Partial<Record<BotReason, string>> = {
  headless_browser: `; a site's own browser tests are counted when they load the script with ?${TEST_TRAFFIC_PARAM}= and the collector's FOOTFALL_TEST_TOKEN`,
  http_client: "; the tracker's batch endpoint is for browsers: servers and scripts send POST /event",
};

/**
 * Ingestion, in order: admit (rate limit, availability), read and validate,
 * check site and origin, drop bots, enrich, queue, and answer 202 before
 * anything touches the disk. Plain functions of a request, so that the Hono
 * routes and the server's direct path for beacons run the very same code.
 */
export function createIngest(deps: IngestDeps): Ingest {
  const { pipeline, sites, meter } = deps;
  const now = deps.now ?? Date.now;
  const cors = ingestCors(sites);
  const rateLimited = deps.rateLimit ? createRateLimiter(deps.rateLimit, now) : () => 0;
  // isbot tries one long pattern on every User-Agent; a site's visitors send a few hundred distinct ones.
  const botVerdicts = new Lru<string, BotReason | 'person'>(2000);
  const botOf = (userAgent: string): BotReason | null => {
    let verdict = botVerdicts.get(userAgent);
    if (verdict === undefined) botVerdicts.set(userAgent, (verdict = botReason(userAgent) ?? 'person'));
    return verdict === 'person' ? null : verdict;
  };
  const isTestTraffic = createTestTrafficCheck(deps.testToken ?? null);
  /** Why a browser's request is a bot's, or null: a site's own headless tests that carry the token are not. */
  const screen = (request: IngestRequest, userAgent: string): BotReason | null => {
    const bot = botOf(userAgent);
    return bot === 'headless_browser' && isTestTraffic(request.query(TEST_TRAFFIC_PARAM)) ? null : bot;
  };

  async function event(request: IngestRequest): Promise<IngestAnswer> {
    const received = await receive(request, validate(singleEventSchema));
    if (!('data' in received)) return received;
    const { ip, data: event, bytes } = received;
    const site = siteFor(request, event.site_id, 1);
    if (!('site' in site)) return site;

    const at = now();
    const ts = parseTimestamp(event.timestamp);
    if (ts > at + LIMITS.futureMs) return invalidInput([{ field: 'timestamp', reason: 'more than 5 minutes in the future' }]);
    if (ts < LIMITS.earliestMs) return invalidInput([{ field: 'timestamp', reason: BEFORE_EARLIEST }]);
    // A server sending events has its own User-Agent, not a visitor's: only browsers are screened for bots.
    const userAgent = request.header('user-agent') ?? '';
    if (fromBrowser(request)) {
      const bot = screen(request, userAgent);
      if (bot) return ignoreBot(bot, 1, site.headers);
    }
    const visitor = await pipeline.visitorIds({ siteId: site.site.id, timeZone: site.site.timeZone, ip, userAgent }, at)(ts, event.user_id);
    const row = toEventRow(site.site.id, event, ts, visitor, requestFacts(site.site, ip, userAgent));
    return (await keep([row], bytes)) ?? { status: 202, headers: site.headers, body: EVENT_ACCEPTED };
  }

  async function events(request: IngestRequest): Promise<IngestAnswer> {
    const received = await receive(request, readBatch);
    if (!('data' in received)) return received;
    const { ip, bytes } = received;
    const { candidates, legacy } = received.data;
    const site = siteFor(request, received.data.siteId, candidates.length, legacy ? 'site_id' : 's', true);
    if (!('site' in site)) return site;
    const { timeZone, id: siteId } = site.site;
    const downloads = site.site.downloads ?? DEFAULT_DOWNLOADS;
    const userAgent = request.header('user-agent') ?? '';
    const bot = screen(request, userAgent);
    if (bot) return ignoreBot(bot, candidates.length, site.headers);

    const at = now();
    const facts = requestFacts(site.site, ip, userAgent);
    const rows: IncomingEvent[] = [];
    const rejected: (FieldError & { index: number })[] = [];
    let rejectedEvents = 0;
    let ignored = 0;
    const visitorIds = pipeline.visitorIds({ siteId, timeZone, ip, userAgent }, at);
    for (const [index, candidate] of candidates.entries()) {
      const read = readBatchCandidate(candidate, index, legacy, downloads);
      if ('errors' in read) {
        rejectedEvents += 1;
        for (const error of read.errors) rejected.push({ index, ...error });
        continue;
      }
      if ('ignored' in read) {
        ignored += 1;
        continue;
      }
      const { event, age } = read;
      if (at - age < LIMITS.earliestMs) {
        // Only a collector whose clock reads the first week of 1970 gets here; the event's age would date it before.
        rejectedEvents += 1;
        rejected.push({
          index,
          field: legacy ? `events[${index}].age` : `e[${index}].a`,
          reason: `${legacy ? '' : 'age: '}${BEFORE_EARLIEST}`,
        });
        continue;
      }
      // The tracker sends no user id; a server using the earlier batch form may.
      const visitor = await visitorIds(at - age, event.user_id);
      rows.push(toEventRow(siteId, event, at - age, visitor, facts));
    }

    if (rejectedEvents > 0) meter.rejected('invalid', rejectedEvents);
    if (rows.length === 0 && ignored === 0)
      return answerOf(new Refusal(400, rejected, { headers: site.headers, extra: { accepted: 0, rejected } }));
    const accepted = { status: 202, headers: site.headers, body: { status: 'success', accepted: rows.length, ignored, rejected } };
    return rows.length === 0 ? accepted : ((await keep(rows, bytes)) ?? accepted);
  }

  async function foreign(request: IngestRequest, format: ForeignFormat): Promise<IngestAnswer> {
    const ip = admit(request);
    if (typeof ip !== 'string') return ip;
    const origin = request.header('origin');
    // Until a site is found, the headers a preflight had: the page may read the answer.
    const open = cors.refusal(origin);
    const body = await readJson(request);
    if (!body.ok) {
      if (body.tooLarge) return invalidInput([body.error], 413);
      meter.rejected('invalid', 1);
      return format.malformed([body.error], open);
    }
    const at = now();
    const read = format.read(body.value, sites, at);
    if ('errors' in read) {
      meter.rejected('invalid', 1);
      return format.malformed(read.errors, open);
    }
    const userAgent = request.header('user-agent') ?? '';
    const bot = botOf(userAgent);
    const outcomes: ForeignOutcome[] = [];
    const rows: IncomingEvent[] = [];
    let headers: Readonly<Record<string, string>> | null = null;
    for (const item of read.items) {
      if ('errors' in item) {
        meter.rejected('invalid', 1);
        outcomes.push({ outcome: 'invalid', errors: item.errors });
        continue;
      }
      if (item.sites.length === 0) {
        meter.rejected('unknown_site', 1);
        outcomes.push({ outcome: 'unknown_site' });
        continue;
      }
      if (bot) {
        meter.botDropped(bot, item.sites.length);
        outcomes.push({ outcome: 'bot', reason: bot });
        continue;
      }
      const ts = item.ts ?? at;
      let first: ForeignOutcome | null = null;
      for (const site of item.sites) {
        const allowed = cors.forSite(site, origin);
        if (!allowed) {
          first ??= {
            outcome: 'refused',
            answer: refuse(
              new Refusal(403, [{ field: 'origin', reason: `${origin} is not one of the site's domains` }], { code: 'origin_not_allowed' }),
              1,
            ),
          };
          continue;
        }
        headers ??= allowed;
        const visitor = await pipeline.visitorIds({ siteId: site.id, timeZone: site.timeZone, ip, userAgent }, at)(ts, item.userId);
        if (item.event === null) {
          first ??= { outcome: 'stored_nothing', visitorId: visitor.visitorId, ts };
          continue;
        }
        rows.push(toEventRow(site.id, item.event, ts, visitor, requestFacts(site, ip, userAgent)));
        if (first === null || first.outcome === 'refused')
          first = { outcome: 'queued', visitorId: visitor.visitorId, ts, unknownSites: item.unknownSites };
      }
      if (first) outcomes.push(first);
    }
    if (rows.length > 0) {
      const refused = await keep(rows, body.bytes, format.name);
      if (refused) return refused;
    }
    return format.answer(outcomes, headers ?? open);
  }

  function preflight(origin: string | undefined, allowHeaders?: string): IngestAnswer {
    const headers = cors.preflight(origin);
    if (!headers) return { status: 403, headers: NO_HEADERS, body: null };
    return { status: 204, headers: allowHeaders ? { ...headers, 'Access-Control-Allow-Headers': allowHeaders } : headers, body: null };
  }

  /** Admits the request, reads its body and validates it with `read`; or the answer that refuses it. */
  async function receive<T>(
    request: IngestRequest,
    read: (value: unknown) => { data: T } | { errors: FieldError[] },
  ): Promise<{ ip: string; bytes: number; data: T } | IngestAnswer> {
    const ip = admit(request);
    if (typeof ip !== 'string') return ip;
    const body = await readJson(request);
    if (!body.ok) return invalidInput([body.error], body.tooLarge ? 413 : 400);
    const parsed = read(body.value);
    if ('errors' in parsed) return invalidInput(parsed.errors);
    return { ip, bytes: body.bytes, data: parsed.data };
  }

  /** The client address, or the answer for a client that must wait or a collector that cannot take events now. */
  function admit(request: IngestRequest): string | IngestAnswer {
    const ip = resolveClientIp(deps.trustProxy, request.socketIp, request.header);
    const wait = rateLimited(ip);
    if (wait > 0) {
      return refuse(
        new Refusal(429, `too many requests from this client; retry after ${wait} s`, {
          code: 'rate_limited',
          headers: { 'Retry-After': String(wait) },
        }),
        1,
      );
    }
    return unavailableNow(1) ?? ip;
  }

  /**
   * 503 while shutting down, while the database refuses writes, or while the
   * queue is full: a 202 now could not be kept. Checked before the body is
   * read, so that a saturated collector spends nothing on what it must refuse.
   */
  function unavailableNow(events: number): IngestAnswer | null {
    if (!deps.isAccepting()) return unavailable('shutting_down', events, 'the collector is shutting down', 5);
    if (!pipeline.writer.healthy) return unavailable('store_unavailable', events, 'the database is not accepting writes', 10);
    if (pipeline.queue.full) return unavailable('queue_full', events, 'the event queue is full', 2);
    return null;
  }

  /** The site the events are for with its CORS headers, or the 400/403 that refuses them. */
  function siteFor(
    request: IngestRequest,
    siteId: string,
    events: number,
    field = 'site_id',
    otherNames = false,
  ): { site: Site; headers: Readonly<Record<string, string>> } | IngestAnswer {
    // The tracker served for Plausible's or Umami's snippet names its site as that snippet does.
    const site =
      sites.get(siteId) ??
      (otherNames ? (sites.byPlausibleDomain(plausibleDomain(siteId)) ?? sites.byUmamiWebsite(siteId.toLowerCase())) : undefined);
    if (!site)
      return refuse(
        new Refusal(400, [{ field, reason: field === 'site_id' ? 'unknown site' : `${BATCH_FIELDS[field]}: unknown site` }], {
          code: 'unknown_site',
        }),
        events,
      );
    const origin = request.header('origin');
    const headers = cors.forSite(site, origin);
    if (!headers)
      return refuse(
        new Refusal(403, [{ field: 'origin', reason: `${origin} is not one of the site's domains` }], { code: 'origin_not_allowed' }),
        events,
      );
    return { site, headers };
  }

  function requestFacts(site: Site, ip: string, userAgent: string): RequestFacts {
    return { userAgent: deps.userAgent(userAgent), geo: deps.geo(ip), siteDomains: site.domains };
  }

  /** The answer of a refusal, its code counted for the `events` it refuses. */
  function refuse(refusal: Refusal<RejectReason>, events: number): IngestAnswer {
    meter.rejected(refusal.code, events);
    return answerOf(refusal);
  }

  /** A refusal of invalid input (or a body too large) naming each field. */
  function invalidInput(errors: FieldError[], status: RefusalStatus = 400): IngestAnswer {
    return refuse(new Refusal(status, errors, { code: status === 413 ? 'too_large' : 'invalid' }), 1);
  }

  function unavailable(code: RejectReason, events: number, message: string, retryAfter: number): IngestAnswer {
    return refuse(new Refusal(503, message, { code, headers: { 'Retry-After': String(retryAfter) } }), events);
  }

  /** Bots are answered 200, not 202: nothing is promised, nothing is stored, and the reason is counted. */
  function ignoreBot(reason: BotReason, events: number, headers: Readonly<Record<string, string>>): IngestAnswer {
    meter.botDropped(reason, events);
    return {
      status: 200,
      headers,
      body: {
        status: 'ignored',
        reason,
        message: `not counted: the User-Agent is a bot's (${reason.replaceAll('_', ' ')})${BOT_HINTS[reason] ?? ''}`,
      },
    };
  }

  /** Queues all rows or answers 503: a 202 is only ever sent for rows in the queue. */
  /**
   * Queues the rows of a request, or the answer that refuses them. In durable
   * mode it resolves only once they are committed: a 202 then survives even a
   * killed process. A request caught by a failing database waits for it.
   */
  async function keep(rows: IncomingEvent[], bytes: number, format: IngestFormat = 'footfall'): Promise<IngestAnswer | null> {
    if (deps.writeMode !== 'durable') return enqueue(rows, bytes, format);
    const committed = whenCommitted(rows.at(-1)!);
    const refused = enqueue(rows, bytes, format);
    if (refused) {
      settled(rows);
      return refused;
    }
    pipeline.writer.soon();
    await committed;
    return null;
  }

  function enqueue(rows: IncomingEvent[], bytes: number, format: IngestFormat = 'footfall'): IngestAnswer | null {
    const refused = unavailableNow(rows.length);
    if (refused) return refused;
    if (!pipeline.queue.push(rows, bytes)) return unavailable('queue_full', rows.length, 'the event queue is full', 2);
    meter.accepted(rows.length, format);
    pipeline.writer.notify();
    return null;
  }

  async function observe(request: ObservedRequest, siteId: string, event: EventFields, tags?: string): Promise<Observed> {
    const ip = resolveClientIp(deps.trustProxy, request.socketIp, request.header);
    if (rateLimited(ip) > 0) return drop('rate_limited');
    const site = sites.get(siteId);
    if (!site) return drop('unknown_site');
    const userAgent = request.header('user-agent') ?? '';
    const bot = botReason(userAgent);
    if (bot) {
      meter.botDropped(bot, 1);
      return { outcome: 'bot', reason: bot };
    }
    const at = now();
    const visitor = await pipeline.visitorIds({ siteId, timeZone: site.timeZone, ip, userAgent }, at)(at);
    const row = withCampaign(toEventRow(siteId, event, at, visitor, requestFacts(site, ip, userAgent)), readCampaign(tags));
    const refused = enqueue([row], JSON.stringify(event).length);
    if (!refused) return { outcome: 'queued' };
    return {
      outcome: 'dropped',
      reason: !deps.isAccepting() ? 'shutting_down' : pipeline.writer.healthy ? 'queue_full' : 'store_unavailable',
    };
  }

  function drop(reason: RejectReason): Observed {
    meter.rejected(reason, 1);
    return { outcome: 'dropped', reason };
  }

  /** A refusal with the CORS headers the request's preflight had: the page may read why. */
  function readable(request: IngestRequest, answer: IngestAnswer): IngestAnswer {
    return answer.status < 400 ? answer : { ...answer, headers: { ...cors.refusal(request.header('origin')), ...answer.headers } };
  }

  return {
    event: async (request) => readable(request, await event(request)),
    events: async (request) => readable(request, await events(request)),
    foreign: async (request, format) => readable(request, await foreign(request, format)),
    preflight,
    observe,
  };
}

/** The row with the campaign a query named, where it named one (the source as a page URL's `ref` or `utm_source` makes it). */
function withCampaign(row: IncomingEvent, campaign: CampaignFacts): IncomingEvent {
  const { ref, ...utm } = campaign;
  const tag = ref ?? utm.utm_source;
  if (!tag && Object.values(utm).every((v) => v === null)) return row;
  return { ...row, ...utm, source: tag ? campaignSource(tag) : row.source };
}

/** Validates a body with `schema`, naming each field that is wrong. */
function validate<T>(schema: z.ZodType<T>): (value: unknown) => { data: T } | { errors: FieldError[] } {
  return (value) => {
    const parsed = schema.safeParse(value);
    return parsed.success ? { data: parsed.data } : { errors: fieldErrors(parsed.error) };
  };
}

/**
 * Whether a request comes from a browser, whose events are screened for bots
 * (docs/counting.md, "Bots"): browsers send Origin on every POST and
 * Sec-Fetch-Site on every request; server-side clients send neither (Node's
 * fetch sends Sec-Fetch-Mode only).
 */
function fromBrowser(request: IngestRequest): boolean {
  return request.header('origin') !== undefined || request.header('sec-fetch-site') !== undefined;
}

type JsonBody = { ok: true; value: unknown; bytes: number } | { ok: false; error: FieldError; tooLarge?: boolean };

/**
 * The body as JSON whatever its content type: the SDK sends text/plain (no CORS
 * preflight) and `curl -d` sends form-urlencoded.
 */
async function readJson(request: IngestRequest): Promise<JsonBody> {
  const body = await request.readBody(LIMITS.bodyBytes);
  if (!body.ok) return { ok: false, error: bodyError(body, LIMITS.bodyBytes), tooLarge: body.tooLarge };
  if (body.text.trim() === '') return { ok: false, error: { field: 'body', reason: 'is empty; expected a JSON object' } };
  try {
    const value = UNSTORABLE_ESCAPE.test(body.text) ? JSON.parse(body.text, storable) : JSON.parse(body.text);
    return { ok: true, value, bytes: body.bytes };
  } catch (error) {
    return { ok: false, error: { field: 'body', reason: `is not valid JSON (${(error as Error).message})` } };
  }
}

/**
 * A JSON escape of a surrogate or of U+0000, the only way JSON text carries
 * either: most bodies have none, and are parsed without a reviver.
 */
const UNSTORABLE_ESCAPE = /\\u(?:[dD][89a-fA-F]|0000)/;

/** Strings and property names made storable (see storableText); of two names that become one, the last counts, as JSON reads a repeated name. */
function storable(_key: string, value: unknown): unknown {
  if (typeof value === 'string') return storableText(value);
  if (value === null || typeof value !== 'object' || Array.isArray(value) || !Object.keys(value).some((k) => storableText(k) !== k))
    return value;
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [storableText(k), v]));
}

/** An ISO 8601 date-time as epoch milliseconds; one without an offset is UTC. */
export function parseTimestamp(value: string): number {
  return Date.parse(/(?:Z|[+-]\d{2}(?::?\d{2})?)$/i.test(value) ? value : `${value}Z`);
}
