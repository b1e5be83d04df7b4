import { expect, minutesAgo, seed, test } from './support/dashboard.ts';

// An embedded shared dashboard (`/share/TOKEN?embed`) keeps its compact
// layout and its address when the reader changes the view inside it and
// when the frame reloads: every address the dashboard writes stays the share's.

const ADMIN = 'embed-admin-key-0123456789';
test.use({ collectorEnv: { FOOTFALL_API_KEYS: ADMIN, FOOTFALL_SITES: 'shop' } });

test('an embedded share stays compact and on its own address after navigating and reloading', async ({ browser, collector }) => {
  await seed(collector, [{ site_id: 'shop', event_type: 'page_view', path: '/embedded', user_id: 'v1', timestamp: minutesAgo(5) }], {
    authorization: `Bearer ${ADMIN}`,
  });
  const res = await fetch(new URL('/shares', collector.url), {
    method: 'POST',
    headers: { authorization: `Bearer ${ADMIN}`, 'content-type': 'application/json' },
    body: JSON.stringify({ site_id: 'shop' }),
  });
  expect(res.status).toBe(201);
  const { url } = (await res.json()) as { url: string };
  const shareAddress = new URL(url).pathname;

  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(`${url}?embed`);
  const pageviews = page.locator('.kpi[data-metric="pageviews"] [data-kpi-value]');
  await expect(pageviews).toHaveAttribute('data-value', '1');
  await expect(page.locator('body')).toHaveClass(/is-embed/);
  // The first view was chosen for the data the site has: the address is still the share's, compact.
  expect(new URL(page.url()).pathname).toBe(shareAddress);
  expect(new URL(page.url()).searchParams.has('embed')).toBe(true);

  await page.locator('#period-select').selectOption('7d');
  await expect(page).toHaveURL(/period=7d/);
  expect(new URL(page.url()).pathname).toBe(shareAddress);
  expect(new URL(page.url()).searchParams.has('embed')).toBe(true);

  await page.reload();
  await expect(pageviews).toHaveAttribute('data-value', '1');
  await expect(page.locator('body')).toHaveClass(/is-embed/);
  await expect(page.locator('.topbar')).toBeHidden();
  await expect(page.locator('#period-select')).toHaveValue('7d');
  await context.close();
});
