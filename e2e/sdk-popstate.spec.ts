import { expect, test } from './support/fixtures.ts';

// Back and forward in a single-page app fire popstate: each is a page view of the page returned to.

test('back and forward count the pages returned to', async ({ page, footfall }) => {
  await footfall.expectEvents(
    async () => {
      await page.goto(`${footfall.demo.url}/app/`);
      await page.getByRole('link', { name: 'Orders' }).click();
    },
    {
      expect: [
        { name: 'pageview', path: '/app/' },
        { name: 'pageview', path: '/app/orders' },
      ],
    },
  );

  await footfall.expectEvents(
    async () => {
      await page.goBack();
      await expect(page.locator('#view')).toHaveText('Overview');
    },
    { expect: [{ name: 'pageview', path: '/app/' }], refute: [{ name: 'pageview', path: '/app/orders' }] },
  );
  await footfall.expectEvents(
    async () => {
      await page.goForward();
      await expect(page.locator('#view')).toHaveText('Orders');
    },
    { expect: [{ name: 'pageview', path: '/app/orders' }], refute: [{ name: 'pageview', path: '/app/' }] },
  );
});
