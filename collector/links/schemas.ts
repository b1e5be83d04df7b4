import { z } from '@hono/zod-openapi';

// The shapes of the link stats' answers: the OpenAPI document's, the handlers',
// and the types the dashboard reads them as (type-only).

/** Which links are counted: short links, and the site's own outbound and download links seen by the tracker. */
export const LINK_KINDS = ['tracked', 'outbound', 'download'] as const;
export type LinkKind = (typeof LINK_KINDS)[number];

const counted = z.object({ today: z.number(), week: z.number(), month: z.number(), range: z.number() });
const ranked = z.array(z.object({ value: z.string().nullable(), clicks: z.number() }));
const days = z.object({ from: z.string(), to: z.string() });

const linkStatsRow = z.object({
  kind: z.enum(LINK_KINDS),
  code: z.string().nullable().openapi({ description: "A tracked link's code; null for the site's own links." }),
  title: z.string().nullable(),
  target_url: z.string(),
  profile: z.string().nullable(),
  removed: z.boolean().openapi({ description: 'A tracked link that was removed (its clicks stay counted).' }),
  clicks: counted,
  unique_clicks: counted.openapi({ description: 'Visitors who clicked, counted once a day.' }),
  top_countries: ranked,
  top_referrers: ranked.openapi({
    description: "The referring page of a tracked link's clicks; the page a site's own link was clicked on.",
  }),
  timeline: z.array(z.object({ date: z.string(), clicks: z.number(), unique_clicks: z.number() })),
});

/** `GET /stats/links`. */
export const linkStatsSchema = z.object({
  site_id: z.string(),
  range: z.object({ from: z.string(), to: z.string(), timezone: z.string() }).nullable(),
  windows: z.object({ today: days, week: days, month: days }),
  links: z.array(linkStatsRow),
});

const topLink = z.object({
  site_id: z.string(),
  kind: z.enum(LINK_KINDS),
  code: z.string().nullable(),
  title: z.string().nullable(),
  target_url: z.string(),
  clicks: z.number(),
  unique_clicks: z.number(),
});

/** `GET /stats/links/top`. */
export const topLinksSchema = z.object({
  range: z.object({ from: z.string(), to: z.string(), timezone: z.literal('UTC') }),
  links: z.array(topLink),
});

/** `GET /stats/links`. */
export type LinkStatsResponse = z.output<typeof linkStatsSchema>;
/** One link of `GET /stats/links`, with its clicks, where they came from and its days. */
export type LinkStats = z.output<typeof linkStatsRow>;
/** Clicks today, this week, this month and in the range. */
export type Counted = z.output<typeof counted>;
/** One link of `GET /stats/links/top`. */
export type TopLink = z.output<typeof topLink>;
