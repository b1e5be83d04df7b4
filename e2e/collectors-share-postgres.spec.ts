import { expect, test } from '@playwright/test';
import { createTestSchema, testDatabaseUrl } from '../testing/test-schema.ts';
import { type CollectorProcess, startCollectorProcess } from './support/collector-process.ts';

// Two collector processes on two ports share one PostgreSQL database, as behind
// a load balancer. Each visitor's events go to both in turn, all at once, with
// no user id: the visitor ids (daily salts), visits and bounces are kept in the
// database, so either collector answers the same exact numbers.

if (!testDatabaseUrl)
  console.warn('Skipping the two-collector scenario: TEST_DATABASE_URL is not set (a PostgreSQL database to make schemas in).');

const BROWSER = 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36';
const MINUTE = 60_000;

test('two collectors on one PostgreSQL count the same visitors, visits and bounces', async () => {
  test.skip(!testDatabaseUrl, 'TEST_DATABASE_URL is not set');
  test.setTimeout(90_000);
  const schema = await createTestSchema();
  const collectors: CollectorProcess[] = [];
  try {
    // Both start at once: the migrations run once, under the database's lock.
    const env = { DATABASE_URL: schema.url, TRUST_PROXY: 'true', FLUSH_INTERVAL_MS: '50', LOG_REQUESTS: 'false' };
    collectors.push(...(await Promise.all([startCollectorProcess(env), startCollectorProcess(env)])));

    // Yesterday at 10:00 UTC: the whole scenario lies on one day whenever it runs.
    const base = Date.UTC(new Date().getUTCFullYear(), new Date().getUTCMonth(), new Date().getUTCDate() - 1, 10);
    const plan: [ip: string, minute: number, type: string, path: string][] = [
      // a: three pages within 30 minutes of each other: one visit.
      ['198.51.100.1', 0, 'pageview', '/'],
      ['198.51.100.1', 10, 'pageview', '/pricing'],
      ['198.51.100.1', 20, 'pageview', '/signup'],
      // b: two pages 45 minutes apart: two visits, two bounces.
      ['198.51.100.2', 0, 'pageview', '/'],
      ['198.51.100.2', 45, 'pageview', '/'],
      // c: a page and a click: one visit, not a bounce.
      ['198.51.100.3', 5, 'pageview', '/docs'],
      ['198.51.100.3', 6, 'click', '/docs'],
      // d: one page: a bounce.
      ['198.51.100.4', 30, 'pageview', '/blog'],
      // e: eleven pages two minutes apart: one visit.
      ...Array.from({ length: 11 }, (_, i): [string, number, string, string] => ['198.51.100.5', 60 + 2 * i, 'pageview', `/p${i}`]),
      // twenty more, six pages each a minute apart: twenty visits of six pages.
      ...Array.from({ length: 120 }, (_, i): [string, number, string, string] => [
        `203.0.113.${10 + (i % 20)}`,
        120 + Math.floor(i / 20),
        'pageview',
        `/q${i % 6}`,
      ]),
    ];
    const statuses = await Promise.all(
      plan.map(async ([ip, minute, type, path], i) => {
        const res = await fetch(new URL('/event', collectors[i % 2]!.url), {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'user-agent': BROWSER, 'x-forwarded-for': ip },
          body: JSON.stringify({ site_id: 'shared', event_type: type, path, timestamp: new Date(base + minute * MINUTE).toISOString() }),
        });
        return res.status;
      }),
    );
    expect(statuses.every((s) => s === 202)).toBe(true);

    type Stats = {
      total_views: number;
      unique_users: number;
      metrics: { pageviews: number; visitors: number; visits: number; bounce_rate: number; events: number };
    };
    for (const collector of collectors) {
      await expect.poll(async () => (await collector.getJson<Stats>('/stats?site_id=shared')).total_views, { timeout: 30_000 }).toBe(138);
    }
    for (const collector of collectors) {
      const stats = await collector.getJson<Stats>('/stats?site_id=shared');
      expect(stats).toMatchObject({ total_views: 138, unique_users: 25 });
      // Bounces: b's two and d's one, of 26 visits.
      expect(stats.metrics).toMatchObject({ pageviews: 138, visitors: 25, visits: 26, bounce_rate: 11.5, events: 1 });
      const day = new Date(base).toISOString().slice(0, 10);
      const daily = await collector.getJson<Stats>(`/stats?site_id=shared&date=${day}`);
      expect(daily.metrics).toMatchObject({ pageviews: 138, visitors: 25, visits: 26, bounce_rate: 11.5 });
    }
  } finally {
    await Promise.all(collectors.map((c) => c.dispose()));
    await schema.drop();
  }
});
