import { findChromium, HEADLESS_CHROMIUM_ARGS } from './support/chromium.ts';
import { expect, test } from './support/dashboard.ts';
import { createLink, LINKS_KEY, linkToday, metric, startTargetSite } from './support/links.ts';

// Headless Chromium, as a link-preview service or a scanner runs it, follows a
// short link: it is sent on to the target like anyone, but not counted as a
// click; /metrics counts it as a bot.

test.use({
  collectorEnv: { FOOTFALL_SITES: 'shop', FOOTFALL_API_KEYS: LINKS_KEY },
  launchOptions: { executablePath: findChromium(), args: HEADLESS_CHROMIUM_ARGS },
});

test('a headless browser following a short link arrives but is not counted', async ({ page, collector }) => {
  const target = await startTargetSite();
  try {
    const link = await createLink(collector, { site_id: 'shop', target_url: `${target.url}/spring` });
    await page.goto(link.short_url);
    await expect(page).toHaveURL(`${target.url}/spring`);
    await expect(page.locator('h1')).toHaveText('/spring');

    await expect.poll(() => metric(collector, 'footfall_link_requests_total{kind="click",outcome="bot"}'), { timeout: 10_000 }).toBe(1);
    expect(await metric(collector, 'footfall_events_bot_dropped_total{reason="headless_browser"}')).toBe(1);
    expect(await linkToday(collector, 'shop', link.code)).toMatchObject({ clicks: { today: 0 }, unique_clicks: { today: 0 } });
  } finally {
    await target.close();
  }
});
