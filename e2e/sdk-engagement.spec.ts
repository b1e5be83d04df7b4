import { expect, test } from './support/fixtures.ts';

// The time a page was visible and focused is sent when it is left, so a one-page visit has a duration.

test('leaving a page sends its engaged time', async ({ page, footfall }) => {
  await page.goto(`${footfall.demo.url}/`);
  await expect(page.locator('h1')).toHaveText('Acme Widgets');
  await page.waitForTimeout(1200); // time for the visitor to read; no assertion depends on its length
  const events = await footfall.expectEvents(
    () => page.close({ runBeforeUnload: true }),
    {
      expect: [{ name: 'engagement', path: '/', engaged_ms: (ms) => ms !== null && ms > 0 }],
    },
    page,
  );
  // The page view may be written after the action began too: the engagement is found by its name.
  expect(events.find((e) => e.name === 'engagement')?.type).toBe('engagement');
});

test('a single-page app sends the engaged time of each page as it moves on', async ({ page, footfall }) => {
  await page.goto(`${footfall.demo.url}/app/`);
  await page.waitForTimeout(300);
  await footfall.expectEvents(() => page.getByRole('link', { name: 'Orders' }).click(), {
    expect: [
      { name: 'engagement', path: '/app/', engaged_ms: (ms) => ms !== null && ms > 0 },
      { name: 'pageview', path: '/app/orders' },
    ],
  });
});
