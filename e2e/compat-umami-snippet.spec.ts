import { expect, test } from './support/fixtures.ts';
import { serveShop, visitOwnShop, visitShop } from './support/same-visit.ts';

// A page with Umami's snippet, its host changed to the collector's and nothing else (the collector
// answers /script.js), gives the same page views, custom events and revenue as Footfall's own
// tracker does for the same visit; umami.track() with data.revenue and data.currency is a sale.

const WEBSITE = '7c1e2b5a-3d4f-4a6b-9c8d-0e1f2a3b4c5d';

test("Umami's snippet pointed at the collector counts as Footfall's own tracker does", async ({ page, footfall }) => {
  const own = await visitOwnShop(page, footfall);
  const url = serveShop(
    footfall,
    'umami',
    `<script defer src="{{COLLECTOR}}/script.js" data-website-id="${WEBSITE}"></script>`,
    "umami.track('Purchase', { plan: 'pro', revenue: 29, currency: 'EUR' })",
  );
  expect(await visitShop(page, footfall, url, WEBSITE)).toEqual(own);
  const purchase = footfall.events().find((e) => e.name === 'Purchase' && e.path === '/umami/');
  expect(purchase).toMatchObject({ props: { plan: 'pro' }, revenue_amount: 29, revenue_currency: 'EUR' });
});
