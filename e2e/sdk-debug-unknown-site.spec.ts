import { startCollectorProcess } from './support/collector-process.ts';
import { expect, test } from './support/fixtures.ts';
import { saveMessageScreenshot } from './support/message-screenshot.ts';

// A collector that takes only the sites it lists, and a tag whose data-site
// has a typo: data-debug prints the collector's refusal, which the page can
// read (no "blocked by CORS policy" in its place).

test("data-debug prints the collector's reason for a site it does not know", async ({ page, footfall, browser }, testInfo) => {
  const listed = await startCollectorProcess({ FOOTFALL_SITES: 'demo' });
  try {
    const errors: string[] = [];
    page.on('console', (message) => message.type() === 'error' && errors.push(message.text()));
    const line = page.waitForEvent('console', (message) => message.text().startsWith('Footfall 400 '));
    await page.goto(
      footfall.serveFile(
        '/typo',
        `<!doctype html><title>typo</title><script defer src="${listed.url}/footfall.js" data-site="dmeo" data-include-localhost data-debug></script><h1>typo</h1>`,
      ),
    );
    expect((await line).text()).toMatch(
      new RegExp(`^Footfall 400 ${listed.url}/events \\{"status":"error","message":"s: site id: unknown site"`),
    );
    expect(errors.filter((e) => /CORS/i.test(e))).toEqual([]);
    await saveMessageScreenshot(browser, testInfo, 'unknown-site', 'Browser console, with data-debug', [(await line).text()]);
  } finally {
    await listed.dispose();
  }
});
