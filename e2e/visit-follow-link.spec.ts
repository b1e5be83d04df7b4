import { expect, test } from './support/fixtures.ts';

// A visitor lands on the demo site, follows a link, and closes the tab: both
// page views reach /stats, from one visitor, under the right paths.

test('a visit of two pages is counted in /stats', async ({ page, footfall }) => {
  await page.goto(`${footfall.demo.url}/`);
  await expect(page.locator('h1')).toHaveText('Acme Widgets');

  await page.getByRole('link', { name: 'See pricing →' }).click();
  await page.waitForURL('**/pricing');
  await expect(page.locator('h1')).toHaveText('Pricing');
  await page.close({ runBeforeUnload: true });

  await expect
    .poll(() => footfall.stats(), { timeout: 10_000 })
    .toMatchObject({
      site_id: 'demo',
      date: null,
      total_views: 2,
      unique_users: 1,
      top_paths: [
        { path: '/', views: 1 },
        { path: '/pricing', views: 1 },
      ],
      metrics: { pageviews: 2, visitors: 1, visits: 1, bounce_rate: 0 },
    });
});
