import { expect, test } from './support/dashboard.ts';
import { AUTH, createLink, LINKS_KEY, linkToday, startTargetSite } from './support/links.ts';

// A visitor opens a link-in-bio page, chooses a link, and lands on its target
// with the link's UTM tags; the page view and the click are both counted.

test.use({ collectorEnv: { FOOTFALL_SITES: 'shop', FOOTFALL_API_KEYS: LINKS_KEY } });

test('a click on a profile page goes through /l/:code to the target and is counted', async ({ page, collector, consoleErrors }) => {
  const target = await startTargetSite();
  try {
    const spring = await createLink(collector, {
      site_id: 'shop',
      target_url: `${target.url}/spring`,
      title: 'Spring sale',
      profile: 'acme',
      utm: { source: 'bio' },
    });
    await createLink(collector, { site_id: 'shop', target_url: `${target.url}/docs`, title: 'Documentation', profile: 'acme' });

    await page.goto(`${collector.url}/p/acme`);
    await expect(page.getByRole('heading', { name: 'acme' })).toBeVisible();
    await expect(page.getByRole('link')).toHaveText(['Spring sale', 'Documentation']);
    await page.getByRole('link', { name: 'Spring sale' }).click();
    await page.waitForURL(`${target.url}/spring?utm_source=bio`);
    await expect(page.getByRole('heading', { name: '/spring' })).toBeVisible();
    expect(target.hits.filter((hit) => hit !== '/favicon.ico')).toEqual(['/spring?utm_source=bio']);

    await expect
      .poll(() => linkToday(collector, 'shop', spring.code), { timeout: 10_000 })
      .toMatchObject({
        kind: 'tracked',
        clicks: { today: 1, range: 1 },
        unique_clicks: { today: 1 },
        top_referrers: [{ value: `${collector.url}/p/acme`, clicks: 1 }],
      });
    const stats = (await (await fetch(new URL('/stats?site_id=shop&period=day', collector.url), { headers: AUTH })).json()) as {
      top_paths: unknown[];
      metrics: { events: number };
    };
    expect(stats.top_paths).toEqual([{ path: '/p/acme', views: 1 }]);
    expect(stats.metrics.events).toBe(1);
    expect(consoleErrors).toEqual([]);
  } finally {
    await target.close();
  }
});
