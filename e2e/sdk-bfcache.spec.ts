import { chromium } from '@playwright/test';
import { CHROMIUM_ARGS, findChromium } from './support/chromium.ts';
import { countAutomatedBrowser, expect, test } from './support/fixtures.ts';

// A page restored from the back/forward cache runs no script again: the tracker counts it on pageshow.

test('a return from the back/forward cache is a page view', async ({ footfall }) => {
  // Playwright turns the cache off by default; this browser keeps it, as a visitor's does.
  const browser = await chromium.launch({
    executablePath: findChromium(),
    args: CHROMIUM_ARGS,
    ignoreDefaultArgs: ['--disable-back-forward-cache'],
  });
  try {
    const context = await browser.newContext();
    await countAutomatedBrowser(context);
    const page = await context.newPage();
    await footfall.expectEvents(
      () => page.goto(`${footfall.demo.url}/pricing`),
      { expect: [{ name: 'pageview', path: '/pricing' }] },
      page,
    );
    await page.evaluate(() => addEventListener('pageshow', (event) => ((window as { restored?: boolean }).restored = event.persisted)));
    await footfall.expectEvents(
      () => page.goto(`${footfall.demo.url}/contact`),
      { expect: [{ name: 'pageview', path: '/contact' }] },
      page,
    );

    await footfall.expectEvents(
      async () => {
        await page.goBack({ waitUntil: 'commit' });
        await expect.poll(() => page.evaluate(() => (window as { restored?: boolean }).restored)).toBe(true);
      },
      { expect: [{ name: 'pageview', path: '/pricing' }] },
      page,
    );
  } finally {
    await browser.close();
  }
});
