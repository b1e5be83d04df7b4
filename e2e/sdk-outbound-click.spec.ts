import { test } from './support/fixtures.ts';

// A click on a link to another host is an outbound click, delivered although the page is left at once.

test('an outbound link click reaches the collector as the page is left', async ({ page, footfall }) => {
  await page
    .context()
    .route('https://help.example.org/**', (route) => route.fulfill({ contentType: 'text/html', body: '<h1>Help desk</h1>' }));
  await page.goto(`${footfall.demo.url}/contact`);

  await footfall.expectEvents(
    async () => {
      await page.getByRole('link', { name: 'help.example.org' }).click();
      await page.waitForURL('https://help.example.org/acme');
    },
    { expect: [{ name: 'Outbound link', type: 'click', link: 'https://help.example.org/acme', element: 'outbound', path: '/contact' }] },
  );
});
