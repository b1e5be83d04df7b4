import { join } from 'node:path';
import { formatChange, formatDecimal, formatDuration, formatMoney, formatNumber, formatPercent } from '../collector/dashboard/ui/format.ts';
import type { Metrics, StatsResponse, TimeseriesResponse } from '../collector/dashboard/ui/types.ts';
import { ROOT } from './support/collector-process.ts';
import { expect, getJson, saveScreenshots, seed, test } from './support/dashboard.ts';
import { SHOP_EVENTS, SHOP_WEEK } from './support/dashboard-seed.ts';

// A site owner opens the dashboard on a week of known events: every key
// number is the one /stats gives, written for people, with its change against
// the week before; the chart draws the same days the API counts.

const FORMATS: Record<Exclude<keyof Metrics, 'revenue'>, (n: number) => string> = {
  visitors: formatNumber,
  visits: formatNumber,
  pageviews: formatNumber,
  views_per_visit: formatDecimal,
  bounce_rate: formatPercent,
  visit_duration: formatDuration,
  events: formatNumber,
};

test('the key numbers and the chart equal the stats API', async ({ page, collector, consoleErrors }, testInfo) => {
  await seed(collector, SHOP_EVENTS);
  const query = `site_id=shop&period=7d&date=${SHOP_WEEK.to}&compare=previous_period`;
  const stats = await getJson<StatsResponse>(collector, `/stats?${query}`);
  const series = await getJson<TimeseriesResponse>(collector, `/stats/timeseries?${query}&interval=day`);
  // Counted by hand from the seed: four people this week, two the week before.
  expect(stats.metrics.visitors).toBe(4);
  expect(stats.comparison?.metrics.visitors).toBe(2);

  await page.goto(`${collector.url}/?site=shop&period=7d&date=${SHOP_WEEK.to}&compare=previous_period`);
  await expect(page).toHaveURL(/\/dashboard\?site=shop&period=7d/);

  for (const [key, format] of Object.entries(FORMATS) as [keyof typeof FORMATS, (n: number) => string][]) {
    const card = page.locator(`.kpi[data-metric="${key}"]`);
    await expect(card.locator('[data-kpi-value]')).toHaveAttribute('data-value', String(stats.metrics[key]));
    await expect(card.locator('[data-kpi-value]')).toHaveText(format(stats.metrics[key]));
    await expect(card.locator('.kpi-change')).toHaveText(
      formatChange(stats.comparison!.change[key], key === 'bounce_rate' ? 'points' : 'percent').text,
    );
  }
  await expect(page.locator('.kpi[data-metric="revenue"] [data-kpi-value]')).toHaveText(formatMoney(stats.metrics.revenue));
  await expect(page.locator('.kpi[data-metric="visitors"] .kpi-change')).toHaveClass(/good/);

  const rows = page.locator('.chart-table tbody tr');
  await expect(rows).toHaveCount(series.results.length);
  await expect(rows).toHaveCount(7);
  const visitorsByDay = series.results.map((r) => formatNumber(r.visitors));
  await expect(page.locator('.chart-table tbody tr td:nth-child(2)')).toHaveText(visitorsByDay);
  await expect(page.locator('#chart canvas').first()).toBeVisible();

  // The pages panel lists what /stats/breakdown lists, in its order.
  const pages = await getJson<{ results: { value: string }[] }>(
    collector,
    `/stats/breakdown?site_id=shop&period=7d&date=${SHOP_WEEK.to}&by=page&limit=9`,
  );
  await expect(page.locator('[data-panel="pages"] .row-text')).toHaveText(pages.results.map((r) => r.value));

  await saveScreenshots(page, testInfo, 'dashboard');
  // The README's picture, written over when asked (FOOTFALL_README_SCREENSHOT=1) and then committed.
  if (process.env.FOOTFALL_README_SCREENSHOT) await page.screenshot({ path: join(ROOT, 'docs/images/dashboard.png') });
  expect(consoleErrors).toEqual([]);
});
