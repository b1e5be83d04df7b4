import { expect, test } from './support/dashboard.ts';
import { countAutomatedBrowser } from './support/fixtures.ts';
import { servePage } from './support/page-server.ts';

// An admin adds a site in the dashboard's Settings, pastes the snippet it shows
// into a page of that site, and sees the first event arrive.

const ADMIN = 'settings-admin-key-0123456789';
test.use({ collectorEnv: { FOOTFALL_API_KEYS: ADMIN } });

test('a site added in Settings shows its snippet, and the first event from a page with it arrives', async ({
  page,
  context,
  collector,
  consoleErrors,
}) => {
  await context.addInitScript((key) => sessionStorage.setItem('footfall.apiKey', key), ADMIN);
  await page.goto(`${collector.url}/dashboard#settings`);
  const form = page.locator('#add-site-form');
  await form.getByLabel('Site id').fill('shop.test');
  // The site's page is served from this machine (a browser may not reach a collector on loopback from elsewhere).
  await form.getByLabel('Domain').fill('127.0.0.1');
  await form.getByLabel('Time zone').fill('Europe/Berlin');
  await form.getByRole('button', { name: 'Add the site' }).click();

  await expect(page).toHaveURL(/\/dashboard\?site=shop\.test$/);
  const snippet = page.locator('#snippet');
  await expect(snippet).toHaveText(`<script defer src="${collector.url}/footfall.js" data-site="shop.test"></script>`);
  const status = page.locator('#first-event');
  await expect(status).toContainText('Waiting for the first event');

  // The site's own page, on its own origin, with the snippet pasted into its head (counting a local page, as the tracker's docs say).
  await countAutomatedBrowser(context);
  const site = await context.newPage();
  const pasted = (await snippet.textContent())!.replace('<script ', '<script data-include-localhost ');
  const html = `<!doctype html><html><head>${pasted}</head><body><h1>Shop</h1></body></html>`;
  const server = await servePage(html);
  await site.goto(`${server.origin}/`);
  await expect(status).toHaveClass(/is-done/, { timeout: 15_000 });
  await server.close();

  // Listed in Settings as added here, in its zone.
  await page.goto(`${collector.url}/dashboard#settings`);
  await expect(page.locator('[data-site="shop.test"]')).toContainText('Added here.');
  await expect(page.locator('[data-site="shop.test"] input[name="timezone"]')).toHaveValue('Europe/Berlin');
  expect(consoleErrors).toEqual([]);
});
