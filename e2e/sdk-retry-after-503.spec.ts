import { test } from './support/fixtures.ts';

// When the collector answers 503 (its queue is full, it is restarting), the batch waits in
// localStorage and is sent with the next page load, dated by its age.

test('a batch refused with 503 is delivered on the next page load', async ({ page, footfall }) => {
  let refused = 0;
  await page.route(`${footfall.collector.url}/events`, async (route) => {
    if (refused++ > 0) return route.continue();
    await route.fulfill({ status: 503, headers: { 'Retry-After': '2', 'Access-Control-Allow-Origin': '*' }, body: '{"status":"error"}' });
  });
  await page.goto(`${footfall.demo.url}/pricing`);
  await page.waitForFunction(() => (localStorage.getItem('footfall') ?? '').includes('/pricing'));

  await footfall.expectEvents(() => page.getByRole('navigation').getByRole('link', { name: 'Contact' }).click(), {
    expect: [
      { name: 'pageview', path: '/pricing' },
      { name: 'pageview', path: '/contact' },
    ],
  });
});
