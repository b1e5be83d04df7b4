import { createHash } from 'node:crypto';
import { errorBody, type FieldError } from '../responses.ts';
import type { Sites } from '../sites.ts';
import type { IngestAnswer } from './accept.ts';
import { checkEventFields, type ForeignEvent, type ForeignFormat, type ForeignOutcome, isObject, readAmount } from './foreign.ts';
import { LIMITS } from './wire.ts';

/**
 * Umami's `POST /api/send` (`src/app/api/send/route.ts` and its
 * `request-schema.ts`): `{"type", "payload": {website, hostname, url, …}}`,
 * answered `{cache, sessionId, visitId}` as its tracker expects.
 */
export const umamiSendFormat: ForeignFormat = {
  name: 'umami',
  read(value, sites, now) {
    const item = readUmamiMessage(value, sites, now);
    return 'errors' in item && !isObject(value) ? { errors: item.errors } : { items: [item] };
  },
  answer: (outcomes, headers) => answerOne(outcomes[0] ?? { outcome: 'unknown_site' }, headers),
  malformed: (errors, headers) => badRequest(errors, headers),
};

/**
 * Umami's `POST /api/batch` (`src/app/api/batch/route.ts`): an array of
 * `/api/send` bodies, each kept or refused alone, answered
 * `{size, processed, errors, details, cache}`.
 */
export const umamiBatchFormat: ForeignFormat = {
  name: 'umami',
  read(value, sites, now) {
    if (!Array.isArray(value)) return { errors: [{ field: 'body', reason: 'expected an array of /api/send bodies' }] };
    if (value.length > LIMITS.batchEvents) return { errors: [{ field: 'body', reason: `more than ${LIMITS.batchEvents} events` }] };
    return { items: value.map((message) => readUmamiMessage(message, sites, now)) };
  },
  answer(outcomes, headers) {
    const details: { index: number; response: object | string | null }[] = [];
    let cache: string | null = null;
    for (const [index, outcome] of outcomes.entries()) {
      const answer = answerOne(outcome, headers);
      if (answer.status >= 400) details.push({ index, response: answer.body });
      else if (cache === null && isObject(answer.body) && typeof answer.body.cache === 'string') cache = answer.body.cache;
    }
    const body = { size: outcomes.length, processed: outcomes.length - details.length, errors: details.length, details, cache };
    return { status: 200, headers, body };
  },
  malformed: (errors, headers) => badRequest(errors, headers),
};

const TYPES = new Set(['event', 'identify', 'performance', 'engagement']);
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** One `/api/send` body read into Footfall's terms, or what is wrong with it, named by Umami's field names. */
export function readUmamiMessage(value: unknown, sites: Sites, now: number): ForeignEvent | { errors: FieldError[] } {
  if (!isObject(value)) return { errors: [{ field: 'body', reason: 'expected an object {"type", "payload"}' }] };
  const { type, payload } = value;
  if (typeof type !== 'string' || !TYPES.has(type))
    return { errors: [{ field: 'type', reason: 'expected "event", "identify", "performance" or "engagement"' }] };
  if (!isObject(payload)) return { errors: [{ field: 'payload', reason: 'expected an object' }] };
  const website = payload.website;
  if (typeof website !== 'string' || !UUID.test(website))
    return { errors: [{ field: 'payload.website', reason: 'expected the Umami website id (a UUID)' }] };
  const text = (key: string) => (typeof payload[key] === 'string' ? (payload[key] as string) : undefined);
  for (const key of ['hostname', 'url', 'referrer', 'title', 'name', 'tag', 'id'])
    if (payload[key] !== undefined && payload[key] !== null && typeof payload[key] !== 'string')
      return { errors: [{ field: `payload.${key}`, reason: 'expected a string' }] };

  const timestamp = readTimestamp(payload.timestamp, now);
  if (typeof timestamp === 'string') return { errors: [{ field: 'payload.timestamp', reason: timestamp }] };
  const site = sites.byUmamiWebsite(website.toLowerCase());
  const found = { sites: site ? [site] : [], unknownSites: site ? 0 : 1, ts: timestamp, userId: text('id') ?? null };
  if (type === 'identify' || type === 'performance') return { ...found, event: null };

  const base = `https://${text('hostname') || 'localhost'}`;
  let url: URL;
  try {
    url = new URL(text('url') ?? '/', base);
  } catch {
    return { errors: [{ field: 'payload.url', reason: 'is not a URL or a path' }] };
  }
  const referrer = text('referrer');
  const name = text('name');
  const data = isObject(payload.data) ? flattenData(payload.data) : {};
  const tag = text('tag');
  if (tag) data.tag = tag;
  const input: Record<string, unknown> = {
    event_type: type === 'engagement' ? 'engagement' : name || 'pageview',
    url: url.href,
    // Umami counts a page by its path and its hash (a tracker with data-exclude-hash sends none).
    path: url.pathname + url.hash,
    referrer: referrer ? resolve(referrer, base) : null,
    title: text('title') ?? null,
  };
  if (type === 'engagement') input.engaged_ms = payload.engagement;
  else Object.assign(input, name ? readRevenue(data) : { props: data });
  const checked = checkEventFields(input);
  if ('errors' in checked) return { errors: checked.errors.map(umamiField) };
  return { ...found, event: checked.event };
}

/** Revenue from `data.revenue` and `data.currency` (both kept out of the properties); the rest of `data` as properties. */
function readRevenue(data: Record<string, unknown>): { props: Record<string, unknown>; revenue?: object } {
  const { revenue, currency, ...rest } = data;
  const amount = readAmount(revenue);
  if (amount === null || typeof currency !== 'string') return { props: data };
  return { props: rest, revenue: { amount, currency: currency.toUpperCase() } };
}

/** Nested objects as dotted names, lists as their JSON, nulls left out: the flat properties Footfall keeps. */
function flattenData(data: Record<string, unknown>, prefix = ''): Record<string, unknown> {
  const flat: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(data)) {
    if (value === null || value === undefined) continue;
    if (isObject(value)) Object.assign(flat, flattenData(value, `${prefix}${key}.`));
    else flat[prefix + key] = Array.isArray(value) ? JSON.stringify(value) : value;
  }
  return flat;
}

/** Unix seconds, as Umami's `timestamp` backfills; null when absent (now); a reason when it cannot be. */
function readTimestamp(value: unknown, now: number): number | null | string {
  if (value === undefined || value === null) return null;
  const seconds = typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : value;
  if (typeof seconds !== 'number' || !Number.isInteger(seconds)) return 'expected whole seconds since 1970';
  const ms = seconds * 1000;
  if (ms > now + LIMITS.futureMs) return 'more than 5 minutes in the future';
  if (ms < LIMITS.earliestMs) return 'before 1970-01-01T00:00:00Z, the earliest accepted';
  return ms;
}

function resolve(reference: string, base: string): string {
  try {
    return new URL(reference, base).href;
  } catch {
    return reference;
  }
}

/** What Umami's tracker reads from an answer: 200 with ids, `{beep: boop}` for a bot, 400 for an unknown website. */
function answerOne(outcome: ForeignOutcome, headers: Readonly<Record<string, string>>): IngestAnswer {
  switch (outcome.outcome) {
    case 'queued':
    case 'stored_nothing': {
      const sessionId = uuidOf(outcome.visitorId ?? 'none');
      // Umami's visit is the session's hour; Footfall's own visits are counted from the stored events.
      const visitId = uuidOf(`${sessionId}:${Math.floor(outcome.ts / 3_600_000)}`);
      const cache = Buffer.from(JSON.stringify({ sessionId, visitId })).toString('base64url');
      return { status: 200, headers, body: { cache, sessionId, visitId } };
    }
    case 'bot':
      return { status: 200, headers, body: { beep: 'boop' } };
    case 'unknown_site':
      return { status: 400, headers, body: { error: { message: 'Website not found.', code: 'bad-request', status: 400 } } };
    case 'invalid':
      return badRequest(outcome.errors, headers);
    case 'refused':
      return outcome.answer;
  }
}

/** Umami's 400 (`src/lib/response.ts`), naming each field and its reason. */
function badRequest(errors: readonly FieldError[], headers: Readonly<Record<string, string>>): IngestAnswer {
  const { message } = errorBody(errors);
  return { status: 400, headers, body: { error: { message, code: 'bad-request', status: 400, errors } } };
}

/** A Footfall field error named as Umami names the field. */
function umamiField({ field, reason }: FieldError): FieldError {
  const names: Record<string, string> = { event_type: 'name', props: 'data', engaged_ms: 'engagement', revenue: 'data.revenue' };
  const [head = field, ...rest] = field.split('.');
  const name = names[head] ?? head;
  return { field: ['payload', name, ...rest].join('.'), reason };
}

/** A UUID-shaped name for an opaque id: the ids Umami's answer carries. */
function uuidOf(value: string): string {
  const hex = createHash('sha256').update(value).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}
