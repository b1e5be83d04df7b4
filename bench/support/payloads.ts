// Request bodies shaped like real traffic: a spread of pages, referrers and
// browsers, some events from signed-in users, some custom events.

export const PATHS = [
  '/',
  '/pricing',
  '/features',
  '/blog',
  '/blog/launch',
  '/blog/privacy-first-analytics',
  '/blog/sqlite-at-scale',
  '/docs',
  '/docs/install',
  '/docs/api',
  '/docs/sdk',
  '/about',
  '/contact',
  '/careers',
  '/changelog',
  '/login',
  '/signup',
  '/product/widgets',
  '/product/gadgets',
  '/product/gizmos',
  '/checkout',
  '/checkout/done',
  '/account',
  '/search',
];

export const USER_AGENTS = [
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36',
  'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Safari/605.1.15',
  'Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1',
  'Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Mobile Safari/537.36',
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0',
  'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36',
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36 Edg/131.0.0.0',
];

const REFERRERS = [
  null,
  null,
  null,
  'https://www.google.com/',
  'https://duckduckgo.com/',
  'https://news.ycombinator.com/',
  'https://www.reddit.com/r/webdev/',
  'https://github.com/',
];
const CUSTOM = ['Signup', 'Download', 'Play video', 'Add to cart'];

/** A small deterministic generator, so every run sends the same traffic. */
export function random(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const pick = <T>(rnd: () => number, list: readonly T[]): T => list[Math.floor(rnd() * list.length)]!;

/** Bodies for `POST /event` (the seed contract), stamped a little in the past. */
export function singleEventBodies(site: string, count: number, seed = 1): string[] {
  const rnd = random(seed);
  const timestamp = new Date(Date.now() - 60_000).toISOString();
  return Array.from({ length: count }, (_, i) => {
    const custom = rnd() < 0.2;
    return JSON.stringify({
      site_id: site,
      event_type: custom ? pick(rnd, CUSTOM) : 'page_view',
      path: pick(rnd, PATHS),
      user_id: rnd() < 0.1 ? `user-${i % 500}` : undefined,
      referrer: pick(rnd, REFERRERS) ?? undefined,
      timestamp,
    });
  });
}

/** Bodies for `POST /events`: SDK batches of `size` events each, in the tracker's short keys. */
export function batchBodies(site: string, size: number, count: number, seed = 2): string[] {
  const rnd = random(seed);
  return Array.from({ length: count }, () =>
    JSON.stringify({
      s: site,
      e: Array.from({ length: size }, (_, j) => {
        const path = pick(rnd, PATHS);
        const at = { u: `https://shop.example${path}`, k: path, a: (size - j) * 900 };
        const kind = rnd();
        if (kind < 0.7) return { ...at, n: 'pageview', r: j === 0 ? (pick(rnd, REFERRERS) ?? '') : '' };
        if (kind < 0.85) return { ...at, n: 'engagement', g: Math.floor(rnd() * 120_000) };
        if (kind < 0.95) return { ...at, n: pick(rnd, CUSTOM), p: { plan: rnd() < 0.5 ? 'pro' : 'starter' } };
        return { ...at, n: 'click', l: 'https://partner.example/offer', d: null };
      }),
    }),
  );
}

/** Bodies for Plausible's `POST /api/event`, as its tracker sends them: page views and some custom events. */
export function plausibleBodies(domain: string, count: number, seed = 3): string[] {
  const rnd = random(seed);
  return Array.from({ length: count }, () => {
    const custom = rnd() < 0.2;
    return JSON.stringify({
      n: custom ? pick(rnd, CUSTOM) : 'pageview',
      u: `https://shop.example${pick(rnd, PATHS)}`,
      d: domain,
      r: pick(rnd, REFERRERS) ?? null,
      ...(custom ? { p: { plan: rnd() < 0.5 ? 'pro' : 'starter' } } : {}),
    });
  });
}

/** Bodies for Umami's `POST /api/send`, as its tracker sends them: page views and some named events. */
export function umamiBodies(website: string, count: number, seed = 4): string[] {
  const rnd = random(seed);
  return Array.from({ length: count }, () => {
    const custom = rnd() < 0.2;
    return JSON.stringify({
      type: 'event',
      payload: {
        website,
        hostname: 'shop.example',
        language: 'en-US',
        screen: '1920x1080',
        title: 'Shop',
        url: pick(rnd, PATHS),
        referrer: pick(rnd, REFERRERS) ?? '',
        ...(custom ? { name: pick(rnd, CUSTOM), data: { plan: rnd() < 0.5 ? 'pro' : 'starter' } } : {}),
      },
    });
  });
}
