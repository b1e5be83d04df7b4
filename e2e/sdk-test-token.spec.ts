import { findChromium, HEADLESS_CHROMIUM_ARGS } from './support/chromium.ts';
import { expect, test } from './support/fixtures.ts';
import { saveMessageScreenshot } from './support/message-screenshot.ts';

// A site's own test in headless Chromium, counted the supported way: the
// collector has FOOTFALL_TEST_TOKEN, and the test's page loads the script
// with ?footfall_test=TOKEN, which then sends the token with every batch,
// the beacon sent as the page is left too. The browser keeps its
// HeadlessChrome User-Agent.

const TOKEN = 'e2e-test-token-4c1d0b9a7f3e2a51';

test.use({
  launchOptions: { executablePath: findChromium(), args: HEADLESS_CHROMIUM_ARGS },
  collectorEnv: { FOOTFALL_TEST_TOKEN: TOKEN },
});

const page = (path: string, script: string, attributes = '') =>
  `<!doctype html><title>${path}</title><script defer src="{{COLLECTOR}}${script}" data-site="demo" data-include-localhost ${attributes}></script><h1>${path}</h1>`;

test('a headless test that loads the script with the configured token is counted, to the last beacon', async ({ page: tab, footfall }) => {
  expect(await tab.evaluate(() => navigator.userAgent)).toContain('HeadlessChrome');
  const script = `/footfall.js?footfall_test=${TOKEN}`;
  const answer = tab.waitForEvent('console', (message) => message.text().startsWith('Footfall 202 '));
  await footfall.expectEvents(() => tab.goto(footfall.serveFile('/checkout', page('/checkout', script, 'data-debug'))), {
    expect: [{ name: 'pageview', path: '/checkout' }],
  });
  expect((await answer).text()).toContain('"status":"success"');
  // Without data-debug, the events of a page being left go by sendBeacon.
  await footfall.expectEvents(() => tab.goto(footfall.serveFile('/cart', page('/cart', script))), {
    expect: [
      { name: 'engagement', path: '/checkout' },
      { name: 'pageview', path: '/cart' },
    ],
  });
  await footfall.expectEvents(() => tab.goto('about:blank'), { expect: [{ name: 'engagement', path: '/cart' }] });
});

test('the plain script in the same browser is dropped, and data-debug says how to be counted', async ({
  page: tab,
  footfall,
  browser,
}, testInfo) => {
  const line = tab.waitForEvent('console', (message) => message.text().startsWith('Footfall 200 '));
  await tab.goto(footfall.serveFile('/checkout', page('/checkout', '/footfall.js', 'data-debug')));
  expect((await line).text()).toContain(`"reason":"headless_browser"`);
  expect((await line).text()).toContain('load the script with ?footfall_test= and the collector');
  expect(footfall.events()).toEqual([]);
  await saveMessageScreenshot(browser, testInfo, 'headless-browser-ignored', 'Browser console, with data-debug', [(await line).text()]);
});
