import { createRoute, type OpenAPIHono, z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import type { Kysely } from 'kysely';
import { Counter, type Registry } from 'prom-client';
import type { Ingest, Observed } from '../ingest/accept.ts';
import type { EventFields } from '../ingest/to-row.ts';
import { LIMITS } from '../ingest/wire.ts';
import type { Log } from '../log.ts';
import { createRouteApp } from '../openapi-app.ts';
import type { Database } from '../store/schema.ts';
import { LINK_CODE_PROP, TRACKED } from './click-event.ts';
import { NAME, redirectTarget, type Utm } from './input.ts';
import type { LinkLookup } from './lookup.ts';
import { notFoundPage, PAGE_HEADERS, profilePage, removedPage } from './pages.ts';
import { profileLinks } from './repository.ts';

export interface PublicLinkDeps {
  readonly db: Kysely<Database>;
  /** Links by code, remembered for a moment (lookup.ts). */
  readonly links: LinkLookup;
  readonly ingest: Pick<Ingest, 'observe'>;
  /** The connection peer's address (the client, or a proxy in front). */
  readonly socketIp: (c: Context) => string;
  /** Where `footfall_link_requests_total` is registered. */
  readonly registry: Registry;
  readonly log: Log;
}

const OUTCOMES = ['counted', 'bot', 'dropped', 'not_counted'] as const;
/**
 * How long a visitor may wait for their click to be queued: normally it takes
 * microseconds, but the first click of a day reads the day's visitor salt from
 * the database, which a busy writer can hold. Past this the visitor goes on,
 * and the click is still queued when it can be.
 */
const RECORD_WAIT_MS = 50;
const NO_SUCH_LINK = notFoundPage('link');
const REMOVED = removedPage();

/**
 * `GET /l/:code` and `GET /p/:profile`, the collector's public side. A short
 * link answers 302 to its stored target and nothing else: no part of the
 * request can change where it leads. The click is queued like any event
 * (bots screened, enriched, a cookieless visitor) and the redirect does not
 * wait for it to be written; when the queue cannot take it the visitor is
 * still sent on, and the drop is counted in the metrics.
 */
export function publicLinkRoutes(deps: PublicLinkDeps): OpenAPIHono {
  const app = createRouteApp();
  const requests = new Counter({
    name: 'footfall_link_requests_total',
    help: 'Tracked link clicks and profile page views, by what became of them: counted (queued), bot, dropped (queue full, store failing, rate limited or shutting down: the visitor was still served), not_counted (HEAD and prefetch).',
    labelNames: ['kind', 'outcome'],
    registers: [deps.registry],
  });
  for (const kind of ['click', 'profile_view']) for (const outcome of OUTCOMES) requests.labels(kind, outcome).inc(0);

  /** Queues the event (tagged by the campaign `tags`' query names), unless the request is no one's visit; never throws, never refuses the visitor. */
  async function observe(c: Context, kind: 'click' | 'profile_view', siteId: string, event: EventFields, tags?: string): Promise<void> {
    if (!isVisit(c)) {
      requests.labels(kind, 'not_counted').inc();
      return;
    }
    let observed: Observed;
    try {
      observed = await deps.ingest.observe({ header: (name) => c.req.header(name), socketIp: deps.socketIp(c) }, siteId, event, tags);
    } catch (error) {
      deps.log('error', `a ${kind.replace('_', ' ')} was not counted`, { error: String(error) });
      requests.labels(kind, 'dropped').inc();
      return;
    }
    requests.labels(kind, observed.outcome === 'queued' ? 'counted' : observed.outcome).inc();
  }

  app.openAPIRegistry.registerPath(
    createRoute({
      method: 'get',
      path: '/l/{code}',
      summary: "A tracked link: counts the click and redirects to the link's stored target, with its UTM parameters.",
      request: { params: z.object({ code: z.string().openapi({ example: 'spring-sale' }) }) },
      responses: {
        302: { description: 'To the target (`Location`). Sent even when the click could not be counted.' },
        404: { description: 'No link has this code (an HTML page).', content: { 'text/html': { schema: z.string() } } },
        410: { description: 'The link was removed, or its site deleted (an HTML page).', content: { 'text/html': { schema: z.string() } } },
      },
    }),
  );
  app.openAPIRegistry.registerPath(
    createRoute({
      method: 'get',
      path: '/p/{profile}',
      summary: "A public link-in-bio page of a profile's links; its views and its links' clicks are counted.",
      request: { params: z.object({ profile: z.string().openapi({ example: 'acme' }) }) },
      responses: {
        200: { description: 'The page.', content: { 'text/html': { schema: z.string() } } },
        404: { description: 'No live link has this profile.', content: { 'text/html': { schema: z.string() } } },
      },
    }),
  );

  app.get('/l/:code', async (c) => {
    const code = c.req.param('code');
    // Anything outside the code alphabet (an encoded slash, a line break, a scheme) is no code at all.
    const link = NAME.test(code) ? await deps.links.get(code) : undefined;
    if (!link) return c.html(NO_SUCH_LINK, 404, PAGE_HEADERS);
    // A removed link, or one of a deleted site: the code stays theirs, and leads nowhere.
    if (link === 'retired' || link.removed_at !== null) return c.html(REMOVED, 410, PAGE_HEADERS);
    await bounded(
      observe(
        c,
        'click',
        link.site_id,
        {
          event_type: 'click',
          referrer: referrer(c),
          link: link.target_url,
          element: TRACKED,
          props: { [LINK_CODE_PROP]: link.code },
        },
        c.req.url,
      ),
    );
    const location = redirectTarget(link.target_url, link.utm ? (JSON.parse(link.utm) as Utm) : null);
    // no-store: every click must come back here to be counted.
    return c.body(null, 302, { Location: location, 'Cache-Control': 'no-store', 'X-Robots-Tag': 'noindex' });
  });
  // `/l//evil.example`, `/l/a/b`: no code either.
  app.get('/l/*', (c) => c.html(NO_SUCH_LINK, 404, PAGE_HEADERS));

  app.get('/p/:profile', async (c) => {
    const profile = c.req.param('profile');
    const links = NAME.test(profile) ? await profileLinks(deps.db, profile) : [];
    if (links.length === 0) return c.html(notFoundPage('page'), 404, PAGE_HEADERS);
    const path = `/p/${profile}`;
    // The page's own query tags the view, as on any page: `/p/acme?ref=instagram`.
    await bounded(
      observe(c, 'profile_view', links[0]!.site_id, {
        event_type: 'pageview',
        url: c.req.url.slice(0, LIMITS.urlLength),
        path,
        title: profile,
        referrer: referrer(c),
      }),
    );
    return c.html(profilePage(profile, links), 200, PAGE_HEADERS);
  });

  return app;
}

/** Waits for the recording, but not past RECORD_WAIT_MS. */
async function bounded(recording: Promise<void>): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([recording, new Promise<void>((resolve) => (timer = setTimeout(resolve, RECORD_WAIT_MS)))]);
  clearTimeout(timer);
}

/** A person's visit: not a HEAD (link checkers, previews) nor a browser's speculative prefetch. */
function isVisit(c: Context): boolean {
  if (c.req.method !== 'GET') return false;
  const purpose = `${c.req.header('sec-purpose') ?? ''} ${c.req.header('purpose') ?? ''} ${c.req.header('x-moz') ?? ''}`.toLowerCase();
  return !purpose.includes('prefetch') && !purpose.includes('prerender');
}

function referrer(c: Context): string | null {
  const value = c.req.header('referer');
  return value && value.length <= LIMITS.urlLength ? value : null;
}
