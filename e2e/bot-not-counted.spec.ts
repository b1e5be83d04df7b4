import { findChromium, HEADLESS_CHROMIUM_ARGS } from './support/chromium.ts';
import { expect, test } from './support/fixtures.ts';

// Headless Chromium, as a scraper or a monitoring script runs it, visits the
// demo site: the tracker sends its page view, the collector takes it for a
// bot's, stores nothing, and counts the drop in /metrics.

// Chromium as it launches headless, without the person's User-Agent the other scenarios give it.
test.use({ launchOptions: { executablePath: findChromium(), args: HEADLESS_CHROMIUM_ARGS } });

test("a headless browser's visit is not counted, and is counted as a bot", async ({ page, footfall }) => {
  const dropped = async () => {
    const res = await fetch(new URL('/metrics', footfall.collector.url));
    const line = (await res.text()).split('\n').find((l) => l.startsWith('footfall_events_bot_dropped_total{reason="headless_browser"}'));
    return Number(line?.split(' ')[1] ?? 0);
  };

  await page.goto(`${footfall.demo.url}/`);
  await expect(page.locator('h1')).toHaveText('Acme Widgets');
  await page.close({ runBeforeUnload: true });

  await expect.poll(dropped, { timeout: 10_000 }).toBeGreaterThanOrEqual(1);
  expect(await footfall.stats()).toMatchObject({ total_views: 0, unique_users: 0, top_paths: [] });
});
