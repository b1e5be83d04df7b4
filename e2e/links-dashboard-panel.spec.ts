import { expect, saveScreenshots, test } from './support/dashboard.ts';
import { createLink, LINKS_KEY, linkToday } from './support/links.ts';

// A site owner opens the dashboard after sharing a short link: the links card
// shows it with the clicks the API counts, beside the site's own outbound
// link that the tracker saw clicked; opening the row shows where its clicks
// came from.

test.use({ collectorEnv: { FOOTFALL_SITES: 'shop;public', FOOTFALL_API_KEYS: LINKS_KEY } });

const BROWSER_UA = 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/140.0.0.0 Safari/537.36';

test('the links card lists short links and outbound links with their clicks', async ({ page, collector, consoleErrors }, testInfo) => {
  const link = await createLink(collector, {
    site_id: 'shop',
    target_url: 'https://shop.example/spring',
    title: 'Spring sale',
    code: 'spring',
  });
  for (const referer of ['https://news.ycombinator.com/item?id=1', 'https://news.ycombinator.com/item?id=2']) {
    const res = await fetch(link.short_url, { redirect: 'manual', headers: { 'user-agent': BROWSER_UA, referer } });
    expect(res.status).toBe(302);
  }
  const batch = {
    s: 'shop',
    e: [
      { n: 'pageview', u: 'https://shop.example/about', k: '/about', a: 0 },
      { n: 'click', u: 'https://shop.example/about', k: '/about', l: 'https://partner.example/', a: 0 },
    ],
  };
  const res = await fetch(new URL('/events', collector.url), {
    method: 'POST',
    headers: { 'content-type': 'text/plain', 'user-agent': BROWSER_UA },
    body: JSON.stringify(batch),
  });
  expect(res.status).toBe(202);
  await expect.poll(() => linkToday(collector, 'shop', 'spring'), { timeout: 10_000 }).toMatchObject({ clicks: { today: 2 } });

  await page.goto(`${collector.url}/dashboard?site=shop&period=day`);
  const card = page.locator('[data-panel="tracked-links"]');
  await expect(card.getByRole('heading', { name: 'Tracked links' })).toBeVisible();
  const spring = card.locator('li[data-link="spring"]');
  await expect(spring.locator('summary .row-text')).toHaveText('Spring sale');
  await expect(spring.locator('summary .badge')).toHaveText('short link');
  await expect(spring.locator('summary .num')).toHaveText(['2', '2', '2', '2', '1']);
  const outbound = card.locator('li[data-link="https://partner.example/"]');
  await expect(outbound.locator('summary .badge')).toHaveText('outbound');
  await expect(outbound.locator('summary .num')).toHaveText(['1', '1', '1', '1', '1']);

  await spring.locator('summary').click();
  await expect(spring.locator('.link-target')).toHaveText('/l/spring → https://shop.example/spring');
  await expect(spring.getByRole('heading', { name: 'Referrers' })).toBeVisible();
  await expect(spring.locator('.link-detail-list').nth(1).locator('li')).toHaveText(/news\.ycombinator\.com\/item\s*2/);
  await saveScreenshots(page, testInfo, 'links-panel');
  expect(consoleErrors).toEqual([]);
});
