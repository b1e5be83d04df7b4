import type { StatsResponse } from '../collector/dashboard/ui/types.ts';
import { expect, getJson, saveScreenshots, seed, test } from './support/dashboard.ts';
import { SHOP_EVENTS, SHOP_WEEK } from './support/dashboard-seed.ts';

// The owner looks at one day, widens to a custom week, then chooses a page
// in a panel: the whole dashboard narrows to it, the filter shows as a chip,
// lives in the URL and survives a reload, and goes when the chip is removed.

test('periods and a clicked row change chart and tables; the filter survives a reload', async ({
  page,
  collector,
  consoleErrors,
}, testInfo) => {
  await seed(collector, SHOP_EVENTS);
  const visitorsCard = page.locator('.kpi[data-metric="visitors"] [data-kpi-value]');
  const chartRows = page.locator('.chart-table tbody tr');
  const pageRows = page.locator('[data-panel="pages"] .row-text');

  await page.goto(`${collector.url}/dashboard?site=shop&period=day&date=${SHOP_WEEK.to}`);
  await expect(visitorsCard).toHaveAttribute('data-value', '1');
  await expect(chartRows).toHaveCount(24); // hourly for one day
  await expect(pageRows).toHaveText(['/', '/pricing']);

  // A custom range, through the period picker's form, by keyboard.
  await page.locator('#period-select').selectOption('custom');
  await page.locator('#custom-from').fill(SHOP_WEEK.from);
  await page.locator('#custom-to').fill(SHOP_WEEK.to);
  await page.locator('#custom-to').press('Enter');
  await expect(page).toHaveURL(new RegExp(`period=custom&from=${SHOP_WEEK.from}&to=${SHOP_WEEK.to}`));
  await expect(visitorsCard).toHaveAttribute('data-value', '4');
  await expect(chartRows).toHaveCount(7); // daily otherwise
  await expect(pageRows).toHaveText(['/', '/pricing', '/contact']);

  // Stepping back one period with the arrow shows the week before.
  await page.locator('#period-prev').click();
  await expect(page).toHaveURL(/from=2026-10-01&to=2026-10-07/);
  await expect(visitorsCard).toHaveAttribute('data-value', '2');
  await page.goBack();
  await expect(visitorsCard).toHaveAttribute('data-value', '4');

  // Choosing a row (by keyboard) filters everything by it.
  const pricing = page.locator('[data-panel="pages"] button.row[data-value="/pricing"]');
  await pricing.focus();
  await page.keyboard.press('Enter');
  await expect(page).toHaveURL(/filters=page%3D%3D%2Fpricing/);
  const chip = page.locator('.chip');
  await expect(chip).toHaveCount(1);
  await expect(chip).toContainText('Page is /pricing');
  await expect(chip.getByRole('button', { name: /Remove filter/ })).toBeFocused();
  const filtered = await getJson<StatsResponse>(
    collector,
    `/stats?site_id=shop&from=${SHOP_WEEK.from}&to=${SHOP_WEEK.to}&filters=${encodeURIComponent('page==/pricing')}`,
  );
  expect(filtered.metrics.visitors).toBe(2); // u1 and u3 read /pricing
  await expect(visitorsCard).toHaveAttribute('data-value', String(filtered.metrics.visitors));
  await expect(pageRows.first()).toHaveText('/pricing');
  const filteredDays = await page.locator('.chart-table tbody tr td:nth-child(2)').allTextContents();
  expect(filteredDays.filter((v) => v !== '0')).toHaveLength(2); // 12 and 14 October

  // The URL carries the whole view.
  await page.reload();
  await expect(chip).toContainText('Page is /pricing');
  await expect(visitorsCard).toHaveAttribute('data-value', String(filtered.metrics.visitors));
  await expect(page.locator('#period-select')).toHaveValue('custom');
  await saveScreenshots(page, testInfo, 'dashboard-filtered');

  await chip.getByRole('button', { name: /Remove filter/ }).click();
  await expect(chip).toHaveCount(0);
  await expect(page).not.toHaveURL(/filters=/);
  await expect(visitorsCard).toHaveAttribute('data-value', '4');

  // The filter form does what a row cannot: an exclusion.
  await page.getByRole('button', { name: '+ Filter' }).click();
  await page.locator('#filter-dim').selectOption('page');
  await page.locator('#filter-op').selectOption('!=');
  await page.locator('#filter-value').fill('/contact');
  await page.getByRole('button', { name: 'Add filter' }).click();
  await expect(chip).toContainText('Page is not /contact');
  const excluded = await getJson<StatsResponse>(
    collector,
    `/stats?site_id=shop&from=${SHOP_WEEK.from}&to=${SHOP_WEEK.to}&filters=${encodeURIComponent('page!=/contact')}`,
  );
  await expect(visitorsCard).toHaveAttribute('data-value', String(excluded.metrics.visitors));
  await expect(pageRows).not.toContainText(['/contact']);
  expect(consoleErrors).toEqual([]);
});
