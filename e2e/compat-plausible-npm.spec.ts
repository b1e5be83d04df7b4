import { build } from 'esbuild';
import { ROOT } from './support/collector-process.ts';
import { expect, test } from './support/fixtures.ts';
import { serveShop, visitOwnShop, visitShop } from './support/same-visit.ts';

// An app bundled with Plausible's official npm tracker (@plausible-analytics/tracker), its endpoint
// set to the collector's /api/event, gives the same page views, custom events and revenue as
// Footfall's own tracker does for the same visit.

const APP = `
import { init, track } from '@plausible-analytics/tracker';
// The tracker skips automated browsers unless the page says it is being tested.
window.__plausible = true;
init({ domain: 'npm.shop.test', endpoint: window.COLLECTOR + '/api/event', captureOnLocalhost: true });
window.buy = () => track('Purchase', { props: { plan: 'pro' }, revenue: { amount: 29, currency: 'EUR' } });
`;

test("Plausible's npm tracker sending to /api/event counts as Footfall's own tracker does", async ({ page, footfall }) => {
  const own = await visitOwnShop(page, footfall);
  const bundle = await build({ stdin: { contents: APP, resolveDir: ROOT }, bundle: true, format: 'esm', write: false });
  footfall.serveFile('/npm/app.js', bundle.outputFiles[0]!.text);
  const url = serveShop(
    footfall,
    'npm',
    '<script>window.COLLECTOR = "{{COLLECTOR}}"</script><script type="module" src="/npm/app.js"></script>',
    'buy()',
  );
  expect(await visitShop(page, footfall, url, 'npm.shop.test')).toEqual(own);
  const purchase = footfall.events().find((e) => e.name === 'Purchase' && e.path === '/npm/');
  expect(purchase).toMatchObject({ props: { plan: 'pro' }, revenue_amount: 29, revenue_currency: 'EUR' });
});
