import type { SeedEvent } from './support/dashboard.ts';
import { expect, getJson, seed, test } from './support/dashboard.ts';

// Six weeks of a shop's purchases in euros (more on weekdays) and a few in
// dollars: choosing the revenue key number draws revenue in euros; the
// forecast switch draws the revenue forecast's band in euros, with the figures
// the forecast API answers, and the line under the chart says the dollars are
// left out. A metric the forecast cannot answer shows no switch.

const DAY = 86_400_000;
const today = Date.parse(`${new Date().toISOString().slice(0, 10)}T00:00:00Z`);
const date = (t: number) => new Date(t).toISOString().slice(0, 10);

function events(): SeedEvent[] {
  const purchases: SeedEvent[] = [];
  const views: SeedEvent[] = [];
  for (let d = 42; d >= 1; d--) {
    const t = today - d * DAY;
    const weekend = [0, 6].includes(new Date(t).getUTCDay());
    const buyers = weekend ? 2 : 4;
    for (let i = 0; i < buyers; i++) {
      const at = (minutes: number) => new Date(t + 10 * 3_600_000 + i * 600_000 + minutes * 1000).toISOString();
      views.push({ site_id: 'shop', event_type: 'page_view', path: '/checkout', user_id: `d${d}u${i}`, timestamp: at(0) });
      purchases.push({
        site_id: 'shop',
        event_type: 'Purchase',
        path: '/checkout',
        user_id: `d${d}u${i}`,
        timestamp: at(30),
        revenue: { amount: 25 + ((d * 7 + i * 3) % 10) + 0.5, currency: 'EUR' },
      });
    }
    if (d % 10 === 0)
      purchases.push({
        site_id: 'shop',
        event_type: 'Purchase',
        path: '/checkout',
        user_id: `d${d}u0`,
        timestamp: new Date(t + 11 * 3_600_000).toISOString(),
        revenue: { amount: 4, currency: 'USD' },
      });
  }
  // Purchases first: once /stats counts the page views sent after them, they are written too.
  return [...purchases, ...views];
}

type Forecast = { currency?: string; results: { date: string; value: number; lower_80: number; upper_80: number }[] };

test('the revenue key number draws revenue in its currency, and the forecast switch its band with the API’s figures', async ({
  page,
  collector,
  consoleErrors,
}) => {
  await seed(collector, events());
  const series = await getJson<{ results: { date: string; revenue: Record<string, number> }[] }>(
    collector,
    '/stats/timeseries?site_id=shop&period=30d&interval=day',
  );
  expect(series.results.some((r) => r.revenue.EUR! > 0 && r.revenue.USD === 0)).toBe(true);

  await page.goto(`${collector.url}/dashboard?site=shop&period=30d`);
  await page.locator('.kpi[data-metric="revenue"]').click();
  await expect(page).toHaveURL(/metric=revenue/);
  await expect(page.locator('#chart-title')).toHaveText('Revenue (EUR)');
  await expect(page.locator('#chart-note')).toContainText('show EUR');
  await expect(page.locator('#chart-note')).toContainText('not converted');

  // The chart's days are the timeseries' euros, written as the key number writes money.
  const days = page.locator('.chart-table tbody tr');
  await expect(days).toHaveCount(30);
  const money = (amount: number) =>
    page.evaluate((n) => new Intl.NumberFormat(undefined, { style: 'currency', currency: 'EUR' }).format(n), amount);
  const first = series.results[0]!;
  await expect(page.locator(`.chart-table tr[data-bucket="${first.date}"] td`).first()).toHaveText(await money(first.revenue.EUR!));

  const toggle = page.locator('#chart-forecast');
  await expect(toggle).toBeVisible();
  await toggle.check();
  await expect(days).toHaveCount(59);

  const forecast = await getJson<Forecast>(collector, '/stats/forecast?site_id=shop&metric=revenue&days=30&currency=EUR');
  expect(forecast.currency).toBe('EUR');
  const ahead = forecast.results.filter((r) => r.date > date(today));
  expect(ahead).toHaveLength(29);
  const drawn = await page.locator('.chart-table tbody tr').evaluateAll((rows) =>
    rows.flatMap((row) => {
      const cell = (k: string) => row.querySelector<HTMLElement>(`td[data-forecast="${k}"]`)?.dataset.value;
      const value = cell('value');
      return value === undefined
        ? []
        : [
            {
              date: (row as HTMLElement).dataset.bucket,
              value: Number(value),
              lower_80: Number(cell('lower_80')),
              upper_80: Number(cell('upper_80')),
            },
          ];
    }),
  );
  expect(drawn).toEqual(ahead.map(({ date, value, lower_80, upper_80 }) => ({ date, value, lower_80, upper_80 })));
  expect(ahead.every((r) => r.lower_80 < r.value && r.value < r.upper_80)).toBe(true);

  // The tooltip of the last day ahead reads the forecast in euros.
  const plot = page.locator('.chart-plot .u-over');
  const box = (await plot.boundingBox())!;
  await page.mouse.move(box.x + box.width - 1, box.y + box.height / 2);
  const last = ahead.at(-1)!;
  await expect(page.locator('.chart-tooltip .is-forecast')).toContainText(
    `${await money(last.value)} (80%: ${await money(last.lower_80)}–${await money(last.upper_80)})`,
  );

  // Bounce rate has no forecast: no switch to offer one.
  await page.locator('.kpi[data-metric="bounce_rate"]').click();
  await expect(page.locator('#chart-title')).toHaveText('Bounce rate');
  await expect(toggle).toBeHidden();
  await expect(page.locator('#chart-note')).toBeHidden();
  expect(consoleErrors).toEqual([]);
});
