import { expect, test } from './support/dashboard.ts';

// An admin defines a site's goals and a funnel of them in the dashboard's
// Settings, and deletes the funnel again; every step is a call of the goals API.

const ADMIN = 'settings-goals-key-0123456789';
test.use({ collectorEnv: { FOOTFALL_SITES: 'shop', FOOTFALL_API_KEYS: ADMIN } });

test("Settings lists a site's goals and funnels, adds each and deletes a funnel", async ({ page, context, collector, consoleErrors }) => {
  await context.addInitScript((key) => sessionStorage.setItem('footfall.apiKey', key), ADMIN);
  await page.goto(`${collector.url}/dashboard#settings`);
  const site = page.locator('[data-site="shop"]');
  const goalForm = site.locator('.add-goal-form');
  await goalForm.locator('[name="name"]').fill('Pricing');
  await goalForm.locator('[name="target"]').fill('/pricing');
  await goalForm.getByRole('button', { name: 'Add the goal' }).click();
  await expect(site.locator('.settings-goals')).toContainText('Pricing · page views of /pricing');

  await goalForm.locator('[name="name"]').fill('Pro signup');
  await goalForm.locator('[name="kind"]').selectOption('event');
  await goalForm.locator('[name="target"]').fill('Signup');
  await goalForm.locator('[name="property_key"]').fill('plan');
  await goalForm.locator('[name="property_value"]').fill('pro');
  await goalForm.getByRole('button', { name: 'Add the goal' }).click();
  await expect(site.locator('.settings-goals')).toContainText('Pro signup · Signup events where plan = pro');

  const funnelForm = site.locator('.add-funnel-form');
  await funnelForm.locator('[name="name"]').fill('Trial');
  await funnelForm.locator('[name="steps"]').fill('Pricing, Pro signup');
  await funnelForm.getByRole('button', { name: 'Save the funnel' }).click();
  await expect(site.locator('.settings-funnels')).toHaveText('Trial · Pricing → Pro signup Delete');

  // A goal a funnel uses is refused, with the API's reason; the funnel deleted first, it goes.
  await site.locator('.settings-goals li', { hasText: 'Pricing ·' }).getByRole('button', { name: 'Delete' }).click();
  await expect(site.locator('.goals-status')).toContainText('Trial');
  await site.locator('.settings-funnels li').getByRole('button', { name: 'Delete' }).click();
  await expect(site.locator('.settings-funnels li')).toHaveCount(0);
  await site.locator('.settings-goals li', { hasText: 'Pricing ·' }).getByRole('button', { name: 'Delete' }).click();
  await expect(site.locator('.settings-goals li')).toHaveCount(1);

  const res = await fetch(`${collector.url}/goals?site_id=shop`, { headers: { authorization: `Bearer ${ADMIN}` } });
  expect(((await res.json()) as { goals: { name: string }[] }).goals.map((g) => g.name)).toEqual(['Pro signup']);
  // The browser logs the refusal asked for above; nothing else.
  expect(consoleErrors).toEqual([expect.stringContaining('409 (Conflict)')]);
});
