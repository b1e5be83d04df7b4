import type { IncomingEvent } from '../collector/store/schema.ts';
import { zoneBuckets } from '../collector/store/time-zones.ts';

/**
 * A realistic stream of tracked events, oldest first, as a busy collector
 * would write them: several sites (one dominant), visits of a few pages with
 * Zipf-distributed paths, referrers, UTM campaigns, countries, browsers and
 * devices in proportions seen on real sites; engagement, outbound clicks,
 * downloads, custom events with properties and revenue; visitor ids that
 * change at each site's midnight, continuing visits across it.
 */
export interface GenerateOptions {
  /** Events to produce in all (approximately: whole visits are kept). */
  readonly events: number;
  /** Days the events span, ending with `endDay` (`YYYY-MM-DD`). */
  readonly days: number;
  readonly endDay: string;
  readonly seed?: number;
}

export interface GeneratedSite {
  readonly id: string;
  readonly timeZone: string;
  readonly share: number;
}

export const GENERATED_SITES: readonly GeneratedSite[] = [
  { id: 'shop.example', timeZone: 'Europe/Berlin', share: 0.72 },
  { id: 'blog.example', timeZone: 'America/New_York', share: 0.2 },
  { id: 'docs.example', timeZone: 'UTC', share: 0.08 },
];

/** A small deterministic PRNG (mulberry32), so that runs are comparable. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Weighted<T> = readonly (readonly [T, number])[];
function picker<T>(rand: () => number, table: Weighted<T>): () => T {
  const total = table.reduce((s, [, w]) => s + w, 0);
  const cumulative = table.map(([, w]) => w / total);
  for (let i = 1; i < cumulative.length; i++) cumulative[i]! += cumulative[i - 1]!;
  return () => {
    const r = rand();
    let i = 0;
    while (i < cumulative.length - 1 && cumulative[i]! < r) i++;
    return table[i]![0];
  };
}

const SOURCES: Weighted<[string | null, string | null]> = [
  [[null, null], 34],
  [['Google', 'https://www.google.com/'], 30],
  [['Bing', 'https://www.bing.com/'], 4],
  [['DuckDuckGo', 'https://duckduckgo.com/'], 4],
  [['X', 'https://t.co/x1'], 5],
  [['Reddit', 'https://www.reddit.com/r/webdev/'], 4],
  [['GitHub', 'https://github.com/some/repo'], 4],
  [['LinkedIn', 'https://www.linkedin.com/'], 2],
  [['Hacker News', 'https://news.ycombinator.com/'], 3],
  [['Facebook', 'https://l.facebook.com/'], 3],
  [['news.example.org', 'https://news.example.org/article/42'], 2],
  [['partner.example.net', 'https://partner.example.net/links'], 2],
  [['Newsletter', null], 3],
];
const COUNTRIES: Weighted<[string, string | null, string | null]> = [
  [['US', 'US-CA', 'San Francisco'], 9],
  [['US', 'US-NY', 'New York'], 8],
  [['US', 'US-TX', 'Austin'], 5],
  [['US', null, null], 4],
  [['DE', 'DE-BE', 'Berlin'], 6],
  [['DE', 'DE-BY', 'Munich'], 4],
  [['GB', 'GB-ENG', 'London'], 7],
  [['FR', 'FR-IDF', 'Paris'], 5],
  [['IN', 'IN-KA', 'Bengaluru'], 6],
  [['BR', 'BR-SP', 'São Paulo'], 4],
  [['CA', 'CA-ON', 'Toronto'], 3],
  [['NL', 'NL-NH', 'Amsterdam'], 3],
  [['JP', 'JP-13', 'Tokyo'], 3],
  [['AU', 'AU-NSW', 'Sydney'], 2],
  [['ES', 'ES-MD', 'Madrid'], 2],
  [['PL', 'PL-MZ', 'Warsaw'], 2],
  [['SE', null, null], 1],
  [['IT', 'IT-25', 'Milan'], 2],
  [['CH', 'CH-ZH', 'Zurich'], 1],
  [['KR', null, null], 1],
  [['MX', null, null], 1],
];
const CLIENTS: Weighted<[string, string, string]> = [
  [['Chrome', 'Windows', 'desktop'], 28],
  [['Chrome', 'macOS', 'desktop'], 10],
  [['Safari', 'macOS', 'desktop'], 7],
  [['Firefox', 'Windows', 'desktop'], 4],
  [['Firefox', 'Linux', 'desktop'], 2],
  [['Edge', 'Windows', 'desktop'], 7],
  [['Chrome', 'Linux', 'desktop'], 2],
  [['Mobile Safari', 'iOS', 'mobile'], 17],
  [['Chrome', 'Android', 'mobile'], 15],
  [['Samsung Internet', 'Android', 'mobile'], 3],
  [['Mobile Safari', 'iOS', 'tablet'], 4],
  [['Chrome', 'Android', 'tablet'], 1],
];
const CAMPAIGNS: Weighted<[string, string, string, string | null, string | null]> = [
  [['newsletter', 'email', 'november', null, 'header'], 5],
  [['newsletter', 'email', 'october', null, 'footer'], 3],
  [['google', 'cpc', 'brand', 'footfall analytics', 'ad1'], 3],
  [['google', 'cpc', 'generic', 'privacy analytics', 'ad2'], 2],
  [['twitter', 'social', 'launch', null, null], 2],
];

/** Paths with Zipf-like popularity: a few landing pages, then a long tail of posts and products. */
function pagePicker(rand: () => number, site: string): () => string {
  const paths = ['/', '/pricing', '/features', '/about', '/contact', '/signup', '/login', '/docs', '/blog'];
  for (let i = 1; i <= 400; i++) paths.push(site.startsWith('blog') ? `/posts/${i}-a-post-about-thing-${i}` : `/products/item-${i}`);
  for (let i = 1; i <= 60; i++) paths.push(`/docs/guide/${i}`);
  const weights = paths.map((_, i) => 1 / (i + 1) ** 1.1);
  return picker(
    rand,
    paths.map((p, i) => [p, weights[i]!] as const),
  );
}

/** Generates the stream day by day; each yielded array is one local day's events of all sites, in time order. */
export function* generateEvents(options: GenerateOptions): Generator<IncomingEvent[]> {
  const rand = random(options.seed ?? 42);
  const endMs = Date.parse(`${options.endDay}T00:00:00Z`) + 86_400_000;
  const startMs = endMs - options.days * 86_400_000;
  const eventsPerVisit = 3.7;
  const pickSource = picker(rand, SOURCES);
  const pickCountry = picker(rand, COUNTRIES);
  const pickClient = picker(rand, CLIENTS);
  const pickCampaign = picker(rand, CAMPAIGNS);
  const pages = new Map(GENERATED_SITES.map((s) => [s.id, pagePicker(rand, s.id)]));
  const zones = new Map(GENERATED_SITES.map((s) => [s.id, zoneBuckets(s.timeZone)]));
  const pickSite = picker(
    rand,
    GENERATED_SITES.map((s) => [s, s.share] as const),
  );
  let carry: IncomingEvent[] = [];
  let serial = 0;
  const returning: { person: string; site: GeneratedSite }[] = [];

  for (let day = 0; day < options.days; day++) {
    const dayStart = startMs + day * 86_400_000;
    const weekday = new Date(dayStart).getUTCDay();
    const growth = 0.6 + (0.8 * day) / Math.max(1, options.days);
    const weekly = weekday === 0 || weekday === 6 ? 0.7 : 1.1;
    const visitsToday = Math.round(((options.events / eventsPerVisit / options.days) * growth * weekly) / 1.0);
    const today: IncomingEvent[] = carry.filter((e) => e.ts < dayStart + 86_400_000);
    carry = carry.filter((e) => e.ts >= dayStart + 86_400_000);

    for (let v = 0; v < visitsToday; v++) {
      // Afternoon peak: three uniform draws bunch around the middle of the day.
      const start = dayStart + Math.floor(((rand() + rand() + rand()) / 3) * 86_400_000);
      const back = returning.length > 50 && rand() < 0.18;
      const { person, site } = back ? returning[Math.floor(rand() * returning.length)]! : { person: `p${serial++}`, site: pickSite() };
      if (!back && rand() < 0.3) returning.push({ person, site });
      if (returning.length > 5000) returning.splice(0, 1000);
      const userId = person.endsWith('7') ? `user-${person}` : null;
      const zone = zones.get(site.id)!;
      const idAt = (ts: number) => {
        if (userId) return { visitor_id: `u:${userId}`, previous_visitor_id: null };
        const local = zone(ts);
        const id = `${person}.${local.day}`;
        const earlier = zone(ts - 30 * 60_000);
        return { visitor_id: id, previous_visitor_id: earlier.day !== local.day ? `${person}.${earlier.day}` : null };
      };
      const [source, referrer] = pickSource();
      const [country, region, city] = pickCountry();
      const [browser, os, device] = pickClient();
      const campaign = source === 'Newsletter' || rand() < 0.04 ? pickCampaign() : null;
      const base = {
        site_id: site.id,
        hostname: site.id,
        browser,
        browser_version: '120',
        os,
        device,
        country,
        region,
        city,
        utm_source: campaign?.[0] ?? null,
        utm_medium: campaign?.[1] ?? null,
        utm_campaign: campaign?.[2] ?? null,
        utm_term: campaign?.[3] ?? null,
        utm_content: campaign?.[4] ?? null,
      };
      const pick = pages.get(site.id)!;
      let ts = start;
      let pageviews = 1;
      while (rand() < 0.55 && pageviews < 30) pageviews++;
      for (let p = 0; p < pageviews; p++) {
        const path = p === 0 && rand() < 0.5 ? '/' : pick();
        today.push({
          ...base,
          ...idAt(ts),
          ts,
          type: 'pageview',
          name: 'pageview',
          path,
          title: path,
          referrer: p === 0 ? referrer : `https://${site.id}/`,
          source: p === 0 ? source : null,
        });
        const dwell = 2 * Math.floor(-Math.log(1 - rand()) * 25_000) + 2000;
        const r = rand();
        if (r < 0.05)
          today.push({
            ...base,
            ...idAt(ts + dwell / 2),
            ts: ts + dwell / 2,
            type: 'click',
            name: 'click',
            path,
            link: `https://partner${Math.floor(rand() * 20)}.example.net/`,
            element: 'outbound',
          });
        else if (r < 0.07)
          today.push({
            ...base,
            ...idAt(ts + dwell / 2),
            ts: ts + dwell / 2,
            type: 'click',
            name: 'click',
            path,
            link: `https://${site.id}/files/guide-${Math.floor(rand() * 5)}.pdf`,
            element: 'download',
          });
        else if (r < 0.085)
          today.push({
            ...base,
            ...idAt(ts + dwell / 2),
            ts: ts + dwell / 2,
            type: 'custom',
            name: 'Signup',
            path,
            props: JSON.stringify({ plan: rand() < 0.7 ? 'free' : 'pro', annual: rand() < 0.3 }),
          });
        else if (r < 0.092)
          today.push({
            ...base,
            ...idAt(ts + dwell / 2),
            ts: ts + dwell / 2,
            type: 'custom',
            name: 'Purchase',
            path,
            props: JSON.stringify({ product: `item-${Math.floor(rand() * 40)}` }),
            revenue_amount: Math.round(rand() * 20000) / 100,
            revenue_currency: rand() < 0.7 ? 'EUR' : 'USD',
          });
        if (rand() < 0.6)
          today.push({
            ...base,
            ...idAt(ts + dwell),
            ts: ts + dwell,
            type: 'engagement',
            name: 'engagement',
            path,
            engaged_ms: Math.floor(dwell * 0.8),
          });
        ts += dwell + Math.floor(rand() * 5000);
      }
    }
    today.sort((a, b) => a.ts - b.ts);
    const cut = today.findIndex((e) => e.ts >= dayStart + 86_400_000);
    if (cut !== -1) carry = carry.concat(today.splice(cut));
    yield today;
  }
  if (carry.length > 0) yield carry.sort((a, b) => a.ts - b.ts);
}
