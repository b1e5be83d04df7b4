import type { SeedEvent } from './support/dashboard.ts';
import { expect, getJson, seed, test } from './support/dashboard.ts';

// Eight weeks of a steady site and one day that spikes: the dashboard's Insights
// card names the spike and opens the day it happened; the heatmap has a row a
// weekday; the forecast toggle draws the days ahead on the chart.

const DAY = 86_400_000;
const today = Date.parse(`${new Date().toISOString().slice(0, 10)}T00:00:00Z`);
const date = (t: number) => new Date(t).toISOString().slice(0, 10);
const spikeDay = date(today - 3 * DAY);

function events(): SeedEvent[] {
  const out: SeedEvent[] = [];
  for (let d = 56; d >= 1; d--) {
    const t = today - d * DAY;
    const weekend = [0, 6].includes(new Date(t).getUTCDay());
    const n = date(t) === spikeDay ? 60 : weekend ? 4 : 8;
    for (let i = 0; i < n; i++)
      out.push({
        site_id: 'shop',
        event_type: 'page_view',
        path: '/',
        user_id: `d${d}u${i}`,
        timestamp: new Date(t + 10 * 3_600_000 + i * 60_000).toISOString(),
      });
  }
  return out;
}

test('the Insights card opens the spike, the heatmap shows the week, the forecast extends the chart', async ({
  page,
  collector,
  consoleErrors,
}) => {
  await seed(collector, events());
  const insights = await getJson<{ findings: { kind: string; view: { from: string } }[] }>(
    collector,
    '/stats/insights?site_id=shop&period=30d',
  );
  expect(insights.findings.filter((f) => f.kind === 'spike').map((f) => f.view.from)).toContain(spikeDay);

  await page.goto(`${collector.url}/dashboard?site=shop&period=30d`);
  const spike = page.locator('.insights-card .insight-spike', { hasText: spikeDay });
  await expect(spike).toBeVisible();
  await expect(page.locator('.heatmap tbody tr')).toHaveCount(7);
  await expect(page.locator('.heatmap-best')).toContainText('Busiest: ');

  const days = page.locator('.chart-table tbody tr');
  await expect(days).toHaveCount(30);
  await page.locator('#chart-forecast').check();
  await expect(days).toHaveCount(59);

  await spike.click();
  await expect(page).toHaveURL(new RegExp(`period=custom.*from=${spikeDay}.*to=${spikeDay}|from=${spikeDay}&to=${spikeDay}`));
  await expect(page.locator('.kpi[data-metric="pageviews"] [data-kpi-value]')).toHaveAttribute('data-value', '60');
  expect(consoleErrors).toEqual([]);
});
