import { expect, seed, test } from './support/dashboard.ts';
import { SHOP_EVENTS, SHOP_WEEK } from './support/dashboard-seed.ts';

// With FOOTFALL_API_KEYS set, the dashboard asks for a key once, refuses a
// wrong one, and keeps the right one for the tab: a reload does not ask again.

const KEY = 'shop-reader-0123456789abcdef';
test.use({ collectorEnv: { FOOTFALL_SITES: 'shop', FOOTFALL_API_KEYS: `${KEY}:shop` } });

test('asks for the API key once and keeps it for the tab', async ({ page, collector, consoleErrors }) => {
  await seed(collector, SHOP_EVENTS, { Authorization: `Bearer ${KEY}` });
  await page.goto(`${collector.url}/dashboard?site=shop&period=7d&date=${SHOP_WEEK.to}`);

  const dialog = page.getByRole('dialog', { name: 'API key' });
  await expect(dialog).toBeVisible();
  await dialog.getByLabel('Key').fill('not-the-right-key-at-all');
  await dialog.getByRole('button', { name: 'Show the numbers' }).click();
  await expect(dialog).toBeVisible();
  await expect(dialog).toContainText('not accepted');

  await dialog.getByLabel('Key').fill(KEY);
  await dialog.getByLabel('Key').press('Enter');
  await expect(dialog).toBeHidden();
  const visitors = page.locator('.kpi[data-metric="visitors"] [data-kpi-value]');
  await expect(visitors).toHaveAttribute('data-value', '4');
  await expect(page.locator('#site-select')).toHaveValue('shop');

  await page.reload();
  await expect(visitors).toHaveAttribute('data-value', '4');
  await expect(dialog).toBeHidden();

  await page.getByRole('button', { name: 'Forget the API key' }).click();
  await expect(dialog).toBeVisible();
  // The browser reports each refused request itself; nothing else may fail.
  expect(consoleErrors.filter((e) => !/status of 401/.test(e))).toEqual([]);
});
