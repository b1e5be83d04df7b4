import { findChromium, HEADLESS_CHROMIUM_ARGS } from './support/chromium.ts';
import { expect, test } from './support/fixtures.ts';

// A site's own test in headless Chromium asks to be counted (footfall_ignore
// "false", as the suite's browser does) but keeps the browser's User-Agent:
// the collector drops it as a bot's, and data-debug prints the collector's
// answer, which says so.

test.use({ launchOptions: { executablePath: findChromium(), args: HEADLESS_CHROMIUM_ARGS } });

test("data-debug prints the collector's answer for a headless visit: ignored, and why", async ({ page, footfall }) => {
  const line = page.waitForEvent('console', (message) => message.text().startsWith('Footfall 200 '));
  await page.goto(footfall.servePage('/checkout', 'data-include-localhost data-debug'));
  const text = (await line).text();
  expect(text).toMatch(new RegExp(`^Footfall 200 ${footfall.collector.url}/events \\{"status":"ignored","reason":"headless_browser"`));
  expect(footfall.events()).toEqual([]);
});
