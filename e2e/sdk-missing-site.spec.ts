import { expect, test } from './support/fixtures.ts';
import { saveMessageScreenshot } from './support/message-screenshot.ts';

// A tag without data-site counts nothing; it says so on the console, without data-debug.

test('a tag without data-site says so on the console', async ({ page, footfall, browser }, testInfo) => {
  const line = page.waitForEvent('console', (message) => message.text().startsWith('Footfall'));
  await page.goto(
    footfall.serveFile(
      '/no-site',
      '<!doctype html><title>no site</title><script defer src="{{COLLECTOR}}/footfall.js" data-include-localhost></script><h1>no site</h1>',
    ),
  );
  expect((await line).text()).toBe('Footfall needs data-site');
  await saveMessageScreenshot(browser, testInfo, 'missing-data-site', 'Browser console', [(await line).text()]);
});
