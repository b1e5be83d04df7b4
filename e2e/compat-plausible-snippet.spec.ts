import { expect, test } from './support/fixtures.ts';
import { serveShop, visitOwnShop, visitShop } from './support/same-visit.ts';

// A page with Plausible's snippet, its host changed to the collector's and nothing else, gives the
// same page views, custom events and revenue as Footfall's own tracker does for the same visit.

test("Plausible's snippet pointed at the collector counts as Footfall's own tracker does", async ({ page, footfall }) => {
  const own = await visitOwnShop(page, footfall);
  const url = serveShop(
    footfall,
    'plausible',
    '<script defer data-domain="www.shop.test" src="{{COLLECTOR}}/js/script.local.revenue.js"></script>' +
      '<script>window.plausible = window.plausible || function () { (window.plausible.q = window.plausible.q || []).push(arguments) }</script>',
    "plausible('Purchase', { props: { plan: 'pro' }, revenue: { amount: 29, currency: 'EUR' } })",
  );
  expect(await visitShop(page, footfall, url, 'shop.test')).toEqual(own);
  const purchase = footfall.events().find((e) => e.name === 'Purchase' && e.path === '/plausible/');
  expect(purchase).toMatchObject({ props: { plan: 'pro' }, revenue_amount: 29, revenue_currency: 'EUR', path: '/plausible/' });
});
