import { test } from './support/fixtures.ts';

// A tagged link that leaves the page: its event is sent at once, before the next page loads.

test('a tagged link that navigates away is still delivered', async ({ page, footfall }) => {
  await page.goto(`${footfall.demo.url}/pricing`);
  await footfall.expectEvents(
    async () => {
      await page.getByRole('link', { name: 'Questions? Contact us.' }).click();
      await page.waitForURL('**/contact');
    },
    {
      expect: [
        { name: 'Contact sales', props: { from: 'pricing' }, element: 'Questions? Contact us.', path: '/pricing' },
        { name: 'pageview', path: '/contact' },
      ],
    },
  );
});
