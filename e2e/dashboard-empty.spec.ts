import { expect, minutesAgo, saveScreenshots, seed, test } from './support/dashboard.ts';

// A brand-new site: the dashboard shows the line to paste and waits; when the
// first event arrives the wait turns green and the numbers are one click away.

test('a new site shows its snippet and turns green on the first event', async ({ page, collector, consoleErrors }, testInfo) => {
  // A collector with no data and no FOOTFALL_SITES knows no site yet: it asks which.
  await page.goto(`${collector.url}/`);
  await expect(page.getByRole('heading', { name: 'Which site?' })).toBeVisible();
  await page.getByLabel('Site id').fill('fresh.example');
  await page.getByRole('button', { name: 'Open' }).click();
  await expect(page).toHaveURL(/\/dashboard\?site=fresh\.example$/);
  await expect(page.locator('#empty')).toBeVisible();
  await expect(page.locator('#snippet')).toHaveText(`<script defer src="${collector.url}/footfall.js" data-site="fresh.example"></script>`);
  const status = page.locator('#first-event');
  await expect(status).toContainText('Waiting for the first event');
  await expect(status).not.toHaveClass(/is-done/);
  await expect(page.locator('#dashboard')).toBeHidden();
  await saveScreenshots(page, testInfo, 'dashboard-empty');

  await seed(collector, [{ site_id: 'fresh.example', event_type: 'page_view', path: '/hello', user_id: 'v1', timestamp: minutesAgo(0) }]);
  await expect(status).toHaveClass(/is-done/, { timeout: 10_000 });
  await expect(status).toContainText('first event arrived');

  await page.getByRole('button', { name: 'Open the dashboard' }).click();
  await expect(page.locator('#empty')).toBeHidden();
  await expect(page.locator('.kpi[data-metric="pageviews"] [data-kpi-value]')).toHaveAttribute('data-value', '1');
  await expect(page.locator('[data-panel="pages"] .row-text')).toHaveText(['/hello']);
  expect(consoleErrors).toEqual([]);
});
