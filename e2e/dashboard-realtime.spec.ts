import { expect, minutesAgo, seed, test } from './support/dashboard.ts';

// The dashboard stays open: when someone new arrives, "visitors now" rises
// on its own, and today's numbers follow, without a reload.

test('the realtime count and the numbers rise when a new event arrives', async ({ page, collector, consoleErrors }) => {
  await seed(collector, [{ site_id: 'live', event_type: 'page_view', path: '/', user_id: 'first', timestamp: minutesAgo(1) }]);

  await page.goto(`${collector.url}/dashboard?site=live&period=day`);
  const now = page.locator('#realtime-count');
  await expect(now).toHaveAttribute('data-value', '1');
  await expect(page.locator('#realtime-label')).toHaveText('visitor now');
  const visitors = page.locator('.kpi[data-metric="visitors"] [data-kpi-value]');
  await expect(visitors).toHaveAttribute('data-value', '1');
  // Mark the card: a refresh that redraws the page instead of updating it would lose the mark.
  await page.evaluate(() => Object.assign(document.querySelector('.kpi[data-metric="visitors"]')!, { seenBefore: true }));

  await seed(collector, [
    { site_id: 'live', event_type: 'page_view', path: '/pricing', user_id: 'second', timestamp: minutesAgo(0) },
    { site_id: 'live', event_type: 'page_view', path: '/', user_id: 'third', timestamp: minutesAgo(0) },
  ]);
  await expect(now).toHaveAttribute('data-value', '3', { timeout: 15_000 });
  await expect(page.locator('#realtime-label')).toHaveText('visitors now');
  await expect(visitors).toHaveAttribute('data-value', '3', { timeout: 20_000 });
  // Updated in place: the same card element, not a redrawn page.
  expect(await page.evaluate(() => 'seenBefore' in document.querySelector('.kpi[data-metric="visitors"]')!)).toBe(true);

  await page.locator('#realtime-button').click();
  await expect(page.locator('#realtime-pages li')).toHaveCount(2);
  expect(consoleErrors).toEqual([]);
});
