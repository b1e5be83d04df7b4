import { expect, test } from './support/fixtures.ts';

// A single-page app changes pages with history.pushState: each new path is a page view.

test('pushState to a new path counts a page view', async ({ page, footfall }) => {
  await footfall.expectEvents(() => page.goto(`${footfall.demo.url}/app/`), { expect: [{ name: 'pageview', path: '/app/' }] });

  await footfall.expectEvents(
    async () => {
      await page.getByRole('link', { name: 'Orders' }).click();
      await expect(page.locator('#view')).toHaveText('Orders');
      await page.getByRole('link', { name: 'Settings' }).click();
      await expect(page.locator('#view')).toHaveText('Settings');
    },
    {
      expect: [
        { name: 'pageview', path: '/app/orders' },
        { name: 'pageview', path: '/app/settings' },
      ],
      refute: [{ name: 'pageview', path: '/app/' }],
    },
  );
});
