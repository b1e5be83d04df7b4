import { readFile } from 'node:fs/promises';
import { expect, seed, test } from './support/dashboard.ts';
import { SHOP_EVENTS, SHOP_WEEK } from './support/dashboard-seed.ts';

// Each panel exports what it shows as CSV, with the dashboard's filters applied.

test('a panel exports its rows as CSV', async ({ page, collector, consoleErrors }) => {
  await seed(collector, SHOP_EVENTS);
  await page.goto(`${collector.url}/dashboard?site=shop&period=7d&date=${SHOP_WEEK.to}`);
  const panel = page.locator('[data-panel="pages"]');
  await expect(panel.locator('.row-text')).toHaveText(['/', '/pricing', '/contact']);

  const [download] = await Promise.all([page.waitForEvent('download'), panel.getByRole('button', { name: 'Export CSV' }).click()]);
  expect(download.suggestedFilename()).toBe(`footfall-shop-page-${SHOP_WEEK.from}_${SHOP_WEEK.to}.csv`);
  const csv = await readFile((await download.path())!, 'utf8');
  const expected = await (
    await fetch(`${collector.url}/stats/breakdown?site_id=shop&period=7d&date=${SHOP_WEEK.to}&by=page&limit=1000&format=csv`)
  ).text();
  expect(csv).toBe(expected);
  expect(csv.split('\n')[0]).toMatch(/^"value",/);
  expect(csv).toContain('/pricing');
  expect(consoleErrors).toEqual([]);
});
