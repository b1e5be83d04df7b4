import { expect, test } from './support/fixtures.ts';
import { serveShop, visitOwnShop, visitShop } from './support/same-visit.ts';

// Umami's tracker ships inside the Umami server, not as a package of its own: this page sends what
// it sends, as its source (src/tracker/index.js of umami-software/umami) and its API documentation
// describe: POST /api/send with Content-Type application/json and {type: "event", payload:
// {website, hostname, screen, language, title, url, referrer, name?, data?}}, then the answer's
// cache in an x-umami-cache header. It gives the same figures as Footfall's own tracker does.

const WEBSITE = '2f6a9d3e-8b1c-4e5f-a7d0-c3b4e5f6a7b8';
const SENDER = `<script>
(() => {
  let cache;
  const send = (payload) =>
    fetch('{{COLLECTOR}}/api/send', {
      method: 'POST',
      keepalive: true,
      headers: { 'Content-Type': 'application/json', ...(cache && { 'x-umami-cache': cache }) },
      body: JSON.stringify({ type: 'event', payload }),
    }).then((res) => res.json()).then((answer) => (cache = answer.cache));
  const base = () => ({
    website: '${WEBSITE}', hostname: location.hostname, screen: screen.width + 'x' + screen.height,
    language: navigator.language, title: document.title, url: location.href,
    referrer: document.referrer.startsWith(location.origin) ? '' : document.referrer,
  });
  window.umami = { track: (name, data) => send({ ...base(), name, data }) };
  send(base());
})();
</script>`;

test("Umami's payloads sent to /api/send count as Footfall's own tracker does", async ({ page, footfall }) => {
  const own = await visitOwnShop(page, footfall);
  const url = serveShop(footfall, 'send', SENDER, "umami.track('Purchase', { plan: 'pro', revenue: 29, currency: 'EUR' })");
  expect(await visitShop(page, footfall, url, WEBSITE)).toEqual(own);
  const purchase = footfall.events().find((e) => e.name === 'Purchase' && e.path === '/send/');
  expect(purchase).toMatchObject({ props: { plan: 'pro' }, revenue_amount: 29, revenue_currency: 'EUR' });
});
