import { expect, test } from './support/fixtures.ts';

// A visitor who opts out (footfall.optOut() or localStorage.footfall_ignore = "true") is not counted on any page until opting in.

test('opting out stops counting on every page, opting in resumes', async ({ page, footfall }) => {
  const url = footfall.servePage('/settings', 'data-include-localhost data-debug');
  await footfall.expectEvents(() => page.goto(url), { expect: [{ name: 'pageview', path: '/settings' }] });

  await page.evaluate(() => window.footfall!.optOut());
  expect(await page.evaluate(() => localStorage.getItem('footfall_ignore'))).toBe('true');
  const skipped = page.waitForEvent('console', (message) => message.text() === 'Footfall ignored pageview footfall_ignore');
  await page.reload();
  await skipped;
  const sent: string[] = [];
  page.on('request', (request) => request.url().endsWith('/events') && sent.push(request.postData() ?? ''));
  const probe = page.waitForEvent('console', (message) => message.text() === 'Footfall ignored Probe footfall_ignore');
  await page.evaluate(() => window.footfall!('Probe'));
  await probe;

  await page.evaluate(() => window.footfall!.optIn());
  await footfall.expectEvents(() => page.reload(), { expect: [{ name: 'pageview', path: '/settings' }] });
  expect(sent.filter((body) => body.includes('"Probe"'))).toEqual([]);
  expect(footfall.events().filter((e) => e.name === 'Probe' || e.name === 'pageview')).toHaveLength(2);
});
