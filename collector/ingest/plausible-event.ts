import type { FieldError } from '../responses.ts';
import { plausibleDomain, type Site, type Sites } from '../sites.ts';
import type { IngestAnswer } from './accept.ts';
import {
  checkEventFields,
  type ForeignEvent,
  type ForeignFormat,
  type ForeignOutcome,
  isObject,
  objectOrJson,
  readAmount,
} from './foreign.ts';
import { LIMITS } from './wire.ts';

/**
 * Plausible's `POST /api/event`, as its ingestion reads it
 * (`lib/plausible/ingestion/request.ex`, with revenue from
 * `extra/lib/plausible/ingestion/request/revenue.ex`) and its controller
 * answers (`lib/plausible_web/controllers/api/external_controller.ex`):
 * a JSON body whatever its content type, in short or long keys.
 */
export const plausibleFormat: ForeignFormat = {
  name: 'plausible',
  read(value, sites) {
    if (!isObject(value)) return { errors: [{ field: 'request', reason: 'Unable to parse request body as json' }] };
    return { items: [readPlausibleEvent(value, sites)] };
  },
  answer: answerPlausible,
  malformed: (errors, headers) => refusePlausible(errors, headers),
};

// Plausible's tracker reports these link clicks as custom events; Footfall's counts them as clicks of the kind.
const LINK_CLICKS: Readonly<Record<string, string>> = { 'Outbound Link: Click': 'outbound', 'File Download': 'download' };
// Plausible forgets engaged time past 30 days as a fault of an old tracker; Footfall keeps a day at most.
const MAX_ENGAGED_MS = 24 * 60 * 60 * 1000;

/** One Plausible event read into Footfall's terms, or what is wrong with it, named by Plausible's field names. */
export function readPlausibleEvent(body: Record<string, unknown>, sites: Sites): ForeignEvent | { errors: FieldError[] } {
  const errors: FieldError[] = [];
  const rawName = body.n ?? body.name;
  const name = Number.isInteger(rawName) ? String(rawName) : rawName;
  if (name === undefined || name === null || name === '') errors.push({ field: 'event_name', reason: "can't be blank" });
  else if (typeof name !== 'string') errors.push({ field: 'event_name', reason: 'is invalid' });

  const url = readUrl(body.u ?? body.url, errors);
  const domains = readDomains(body.d ?? body.domain, url, errors);
  if (errors.length > 0 || typeof name !== 'string' || !url || !domains) return { errors };

  const hashMode = (body.h ?? body.hashMode) === 1;
  const referrer = body.r ?? body.referrer;
  const props = readProps(body.m ?? body.meta ?? body.p ?? body.props);
  const input: Record<string, unknown> = {
    event_type: name,
    url: url.href,
    // The path as Footfall's own tracker sends it; with hash routing, the fragment is part of the page.
    path: hashMode && url.hash ? url.pathname + url.hash : url.pathname,
    referrer: typeof referrer === 'string' ? referrer.slice(0, LIMITS.urlLength) : null,
    props,
    revenue: readRevenue(body.revenue ?? body.$),
  };
  const clickKind = LINK_CLICKS[name];
  if (clickKind && typeof props?.url === 'string') {
    const { url: link, ...rest } = props;
    Object.assign(input, { event_type: 'click', element: clickKind, link, props: rest });
  }
  if (name === 'engagement') {
    const scrollDepth = readInteger(body.sd);
    const engagedMs = readInteger(body.e);
    const depth = scrollDepth !== null && scrollDepth >= 0 ? Math.min(scrollDepth, 100) : null;
    const engaged = engagedMs !== null && engagedMs >= 0 ? Math.min(engagedMs, MAX_ENGAGED_MS) : null;
    if (depth === null && engaged === null)
      return {
        errors: [{ field: 'event_name', reason: "engagement event requires a valid integer value for at least one of 'sd' or 'e' fields" }],
      };
    Object.assign(input, { scroll_depth: depth, engaged_ms: engaged });
  }

  const checked = checkEventFields(input);
  if ('errors' in checked) return { errors: checked.errors.map(plausibleField) };
  const found = new Set<Site>();
  let unknownSites = 0;
  for (const domain of domains) {
    const site = sites.byPlausibleDomain(domain);
    if (site) found.add(site);
    else unknownSites += 1;
  }
  return { sites: [...found], unknownSites, event: checked.event, ts: null };
}

/** Plausible's answers: 202 `ok`, with `x-plausible-dropped` counting what was not kept; 400 with its errors. */
function answerPlausible(outcomes: readonly ForeignOutcome[], headers: Readonly<Record<string, string>>): IngestAnswer {
  const outcome = outcomes[0] ?? { outcome: 'unknown_site' };
  switch (outcome.outcome) {
    case 'invalid':
      return refusePlausible(outcome.errors, headers);
    case 'refused':
      return outcome.answer;
    case 'queued':
      return outcome.unknownSites === 0
        ? { status: 202, headers, body: 'ok' }
        : { status: 202, headers: { ...headers, 'x-plausible-dropped': String(outcome.unknownSites) }, body: 'ok' };
    default:
      return { status: 202, headers: { ...headers, 'x-plausible-dropped': '1' }, body: 'ok' };
  }
}

/** `400 {"errors": {"field": ["reason", …]}}`, Plausible's shape for a changeset's errors. */
function refusePlausible(errors: readonly FieldError[], headers: Readonly<Record<string, string>>): IngestAnswer {
  const byField: Record<string, string[]> = {};
  for (const { field, reason } of errors) (byField[field === 'body' ? 'request' : field] ??= []).push(reason);
  return { status: 400, headers, body: { errors: byField } };
}

/** A Footfall field error named as Plausible names the field. */
function plausibleField({ field, reason }: FieldError): FieldError {
  const [head = field] = field.split(/[.[]/);
  const names: Record<string, string> = { event_type: 'event_name', engaged_ms: 'e', scroll_depth: 'sd', element: 'props', link: 'props' };
  return { field: names[head] ?? head, reason: head === field ? reason : `${field}: ${reason}` };
}

function readUrl(value: unknown, errors: FieldError[]): URL | null {
  const reason = urlProblem(value);
  if (typeof reason === 'string') errors.push({ field: 'url', reason });
  return typeof reason === 'string' ? null : reason;
}

function urlProblem(value: unknown): URL | string {
  if (value === undefined || value === null) return 'is required';
  if (typeof value !== 'string' || value.length > 2000) return 'must be a valid url';
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return 'must be a valid url';
  }
  return url.protocol === 'data:' ? 'scheme is not allowed' : url;
}

/** `d`: a comma list of domains (`www.` stripped), or the URL's host when none is sent. */
function readDomains(value: unknown, url: URL | null, errors: FieldError[]): string[] | null {
  const raw = typeof value === 'string' ? value.trim() : null;
  const domains = raw !== null ? raw.split(',').map(plausibleDomain).filter(Boolean) : url?.hostname ? [plausibleDomain(url.hostname)] : [];
  if (domains.length > 0) return [...new Set(domains)];
  if (raw !== null || url) errors.push({ field: 'domain', reason: "can't be blank" });
  return null;
}

/** Properties as Plausible keeps them: lists, objects, empty values and blank names are left out. */
function readProps(value: unknown): Record<string, unknown> | null {
  const props = objectOrJson(value);
  if (!props) return null;
  const kept = Object.entries(props).filter(
    ([key, v]) => key.trim() !== '' && v !== null && typeof v !== 'object' && String(v).trimStart() !== '',
  );
  return Object.fromEntries(kept);
}

/** `{amount, currency}` as an object or its JSON; anything else is no revenue, as Plausible reads it. */
function readRevenue(value: unknown): { amount: unknown; currency: unknown } | null {
  const revenue = objectOrJson(value);
  if (!revenue || !('amount' in revenue) || !('currency' in revenue)) return null;
  return { amount: readAmount(revenue.amount) ?? revenue.amount, currency: revenue.currency };
}

function readInteger(value: unknown): number | null {
  if (typeof value === 'number' && Number.isInteger(value)) return value;
  if (typeof value === 'string' && /^-?\d+$/.test(value)) return Number(value);
  return null;
}
