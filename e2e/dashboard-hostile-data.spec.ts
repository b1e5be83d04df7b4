import { expect, minutesAgo, seed, test } from './support/dashboard.ts';

// Markup stored as data (a page path, an event name, a property, a referrer,
// a link) is shown as text in the dashboard: no element is made of it and no
// script of it runs, whichever panel, tab or filter chip shows it.

const IMG = '<img src=x onerror="window.__hacked=1">';
const SCRIPT = '<script>window.__hacked=2</script>';
const SVG = '<svg onload="window.__hacked=3">';

test('stored markup is shown as text and runs nothing', async ({ page, collector, consoleErrors }) => {
  const at = minutesAgo(1);
  await seed(collector, [
    { site_id: 'shop', event_type: 'page_view', path: `/${IMG}`, user_id: 'v1', timestamp: at, referrer: `https://x.test/?q=${SVG}` },
    { site_id: 'shop', event_type: SCRIPT, path: `/${IMG}`, user_id: 'v1', timestamp: at, props: { [IMG]: SVG } },
    { site_id: 'shop', event_type: 'click', path: '/', user_id: 'v2', timestamp: at, link: `https://x.test/${SCRIPT}`, element: IMG },
    { site_id: 'shop', event_type: 'page_view', path: '/', user_id: 'v2', timestamp: at },
  ]);
  page.on('dialog', (dialog) => void dialog.dismiss());
  await page.goto(`${collector.url}/dashboard?site=shop&period=day`);
  const pages = page.locator('[data-panel="pages"]');
  await expect(pages.locator('.row-text', { hasText: IMG })).toHaveText(`/${IMG}`);
  await expect(page.locator('[data-panel="events"] .row-text', { hasText: SCRIPT })).toBeVisible();

  // Every tab of every panel, so that each way a value is drawn is drawn.
  for (const tab of await page.getByRole('tab').all()) await tab.click();
  const events = page.locator('[data-panel="events"]');
  await events.getByRole('tab', { name: 'Properties' }).click();
  await expect(events.locator('select[name=property] option')).toHaveText([IMG]);
  await expect(events.locator('.row-text')).toHaveText([SVG]);

  // A chosen row becomes a filter chip, and the filter goes into the URL.
  await pages.getByRole('tab', { name: 'Top' }).click();
  await pages.locator('.row', { hasText: IMG }).click();
  await expect(page.locator('.chip, [data-filter]').first()).toContainText(IMG);
  await page.reload();
  await expect(page.locator('.chip, [data-filter]').first()).toContainText(IMG);

  expect(await page.evaluate(() => (window as { __hacked?: number }).__hacked)).toBeUndefined();
  expect(await page.locator('img[src="x"], svg[onload], script:not([src])').count()).toBe(0);
  expect(consoleErrors).toEqual([]);
});
