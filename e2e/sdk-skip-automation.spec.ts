import { expect, test } from './support/fixtures.ts';

// An automated browser (navigator.webdriver) and a page on localhost are not counted unless they opt in;
// the debug flag says why.

test('an automated browser that does not opt in is not counted', async ({ browser, page, footfall }) => {
  const context = await browser.newContext(); // without the suite's opt-in
  const bot = await context.newPage();
  const skipped = bot.waitForEvent('console', (message) => message.text() === 'Footfall ignored pageview webdriver');
  await bot.goto(footfall.servePage('/bot', 'data-include-localhost data-debug'));
  await skipped;
  await context.close();

  await footfall.expectEvents(() => page.goto(footfall.servePage('/person', 'data-include-localhost')), {
    expect: [{ name: 'pageview', path: '/person' }],
  });
  expect(footfall.events().filter((e) => e.path === '/bot')).toEqual([]);
});

test('a page on localhost is not counted unless the site includes localhost', async ({ page, footfall }) => {
  const url = footfall.servePage('/dev', 'data-debug');
  const skipped = page.waitForEvent('console', (message) => message.text() === 'Footfall ignored pageview localhost');
  await page.goto(url);
  await skipped;
  const included = footfall.servePage('/dev-included', 'data-include-localhost');
  await footfall.expectEvents(() => page.goto(included), { expect: [{ name: 'pageview', path: '/dev-included' }] });
  expect(footfall.events().filter((e) => e.path === '/dev')).toEqual([]);
});
