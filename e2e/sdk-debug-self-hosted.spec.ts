import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from './support/collector-process.ts';
import { expect, test } from './support/fixtures.ts';
import { saveMessageScreenshot } from './support/message-screenshot.ts';

// The script copied to the site's own server and tagged without data-api: it
// sends to the site itself, which answers 404. data-debug prints that answer
// with the URL it came from, which shows where the events went.

test('data-debug prints the 404 of a site that serves the script itself without data-api', async ({
  page,
  footfall,
  browser,
}, testInfo) => {
  footfall.serveFile('/js/footfall.js', readFileSync(join(ROOT, 'dist/footfall.js'), 'utf8'));
  const line = page.waitForEvent('console', (message) => message.text().startsWith('Footfall 404 '));
  await page.goto(
    footfall.serveFile(
      '/self-hosted',
      '<!doctype html><title>self-hosted</title><script defer src="/js/footfall.js" data-site="demo" data-include-localhost data-debug></script><h1>self-hosted</h1>',
    ),
  );
  expect((await line).text()).toBe(`Footfall 404 ${footfall.demo.url}/events Not found`);
  await saveMessageScreenshot(browser, testInfo, 'self-hosted-without-data-api', 'Browser console, with data-debug', [(await line).text()]);
});
