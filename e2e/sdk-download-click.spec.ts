import { test } from './support/fixtures.ts';

// A click on a link to a file of a known type is a download; an ordinary internal link is nothing.

test('a download link click is counted, an internal link is not', async ({ page, footfall }) => {
  // The server sends the brochure as an attachment, so the page stays where it is.
  await page.route('**/files/brochure.pdf', (route) =>
    route.fulfill({ contentType: 'application/pdf', headers: { 'Content-Disposition': 'attachment' }, body: '%PDF-1.4\n' }),
  );
  await page.goto(`${footfall.demo.url}/contact`);
  await footfall.expectEvents(
    async () => {
      const download = page.waitForEvent('download');
      await page.getByRole('link', { name: 'brochure (PDF)' }).click();
      await download;
    },
    {
      expect: [{ name: 'File download', link: `${footfall.demo.url}/files/brochure.pdf`, element: 'download', path: '/contact' }],
      refute: [{ element: 'outbound' }],
    },
  );

  await footfall.expectEvents(
    async () => {
      await page.getByRole('navigation').getByRole('link', { name: 'Pricing' }).click();
      await page.waitForURL('**/pricing');
    },
    { expect: [{ name: 'pageview', path: '/pricing' }], refute: [{ type: 'click' }] },
  );
});
