import { expect, minutesAgo, seed, test } from './support/dashboard.ts';
import { servePage } from './support/page-server.ts';

// A shared link opens one site's numbers in a fresh browser, with no key;
// embedded in an iframe, it shows on the origin the share lists and nowhere else.

const ADMIN = 'share-admin-key-0123456789';
test.use({ collectorEnv: { FOOTFALL_API_KEYS: ADMIN, FOOTFALL_SITES: 'shop, blog' } });

test('a shared link shows its site in a fresh context without a key, and frames only on its origins', async ({ browser, collector }) => {
  await seed(
    collector,
    [
      { site_id: 'shop', event_type: 'page_view', path: '/shared-page', user_id: 'v1', timestamp: minutesAgo(5) },
      { site_id: 'shop', event_type: 'page_view', path: '/other', user_id: 'v2', timestamp: minutesAgo(4) },
    ],
    { authorization: `Bearer ${ADMIN}` },
  );
  // Two pages that embed the share: one on the origin it lists, one elsewhere.
  let shareUrl = '';
  const frame = () => `<!doctype html><iframe src="${shareUrl}?embed" width="900" height="700"></iframe>`;
  const allowedSite = await servePage(frame);
  const refusedSite = await servePage(frame);
  const res = await fetch(new URL('/shares', collector.url), {
    method: 'POST',
    headers: { authorization: `Bearer ${ADMIN}`, 'content-type': 'application/json' },
    body: JSON.stringify({ site_id: 'shop', frame_ancestors: [allowedSite.origin] }),
  });
  expect(res.status).toBe(201);
  const { url } = (await res.json()) as { url: string };
  shareUrl = url;

  const context = await browser.newContext();
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  await page.goto(url);
  await expect(page.locator('.kpi[data-metric="pageviews"] [data-kpi-value]')).toHaveAttribute('data-value', '2');
  await expect(page.locator('#key-dialog')).not.toBeVisible();
  await expect(page.locator('#site-select')).toBeHidden();
  await expect(page.locator('#settings-link')).toBeHidden();
  expect(errors).toEqual([]);

  const allowed = await context.newPage();
  await allowed.goto(`${allowedSite.origin}/`);
  const framed = allowed.frameLocator('iframe');
  await expect(framed.locator('.kpi[data-metric="pageviews"] [data-kpi-value]')).toHaveAttribute('data-value', '2');
  await expect(framed.locator('.topbar')).toBeHidden();

  const refused = await context.newPage();
  const blocked = refused.waitForEvent('console', (m) => /frame-ancestors/.test(m.text()));
  await refused.goto(`${refusedSite.origin}/`);
  await blocked;
  await expect(refused.frameLocator('iframe').locator('#kpis')).toHaveCount(0);

  // Revoked: the link opens nothing, in a fresh context too.
  const share = (
    (await (await fetch(new URL('/shares?site_id=shop', collector.url), { headers: { authorization: `Bearer ${ADMIN}` } })).json()) as {
      shares: { id: string }[];
    }
  ).shares[0]!;
  await fetch(new URL(`/shares/${share.id}`, collector.url), { method: 'DELETE', headers: { authorization: `Bearer ${ADMIN}` } });
  const after = await (await browser.newContext()).newPage();
  expect((await after.goto(url))!.status()).toBe(404);
  await context.close();
  await allowedSite.close();
  await refusedSite.close();
});
