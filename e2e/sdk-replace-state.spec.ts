import { test } from './support/fixtures.ts';

// replaceState that only changes the query (sorting, filters) is not a new page.

test('replaceState without a path change counts nothing', async ({ page, footfall }) => {
  await footfall.expectEvents(() => page.goto(`${footfall.demo.url}/app/orders`), { expect: [{ name: 'pageview', path: '/app/orders' }] });

  await footfall.expectEvents(
    async () => {
      await page.getByRole('button', { name: 'Sort by date' }).click();
      await page.waitForURL('**/app/orders?sort=date');
      await page.evaluate(() => history.pushState({}, '', location.href));
    },
    { refute: [{ name: 'pageview' }] },
  );
});
