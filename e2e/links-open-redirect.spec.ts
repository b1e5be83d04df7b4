import { expect, test } from './support/dashboard.ts';
import { createLink, LINKS_KEY, startTargetSite } from './support/links.ts';

// Someone crafts short-link addresses that try to lead elsewhere: encoded
// slashes, protocol-relative and backslash paths, a javascript: "code", line
// breaks to inject a header. Chromium follows each one and stays on the
// collector's "no such link" page; nothing reaches the other host.

test.use({ collectorEnv: { FOOTFALL_SITES: 'shop', FOOTFALL_API_KEYS: LINKS_KEY } });

const ATTEMPTS = [
  '/l/%2F%2Fevil.example',
  '/l//evil.example',
  '/l/%2F%5Cevil.example',
  '/l/%5C%5Cevil.example',
  '/l/javascript:alert(document.domain)',
  '/l/https:%2F%2Fevil.example',
  '/l/spring%0D%0ALocation:%20https:%2F%2Fevil.example',
  '/l/spring%0ASet-Cookie:%20x=1',
  '/l/spring/..%2F..%2F%2Fevil.example',
  '/l/spring?url=https://evil.example',
];

test('crafted short-link addresses lead nowhere but where the link was made to go', async ({ page, collector }) => {
  const target = await startTargetSite();
  try {
    await createLink(collector, { site_id: 'shop', target_url: `${target.url}/spring`, code: 'spring' });
    const elsewhere: string[] = [];
    await page.context().route('https://evil.example/**', (route) => {
      elsewhere.push(route.request().url());
      return route.fulfill({ body: 'gotcha' });
    });
    const dialogs: string[] = [];
    page.on('dialog', (dialog) => {
      dialogs.push(dialog.message());
      void dialog.dismiss();
    });

    for (const path of ATTEMPTS) {
      const res = await page.goto(`${collector.url}${path}`);
      const url = new URL(page.url());
      if (path.startsWith('/l/spring?')) {
        // The query is ignored: the link goes to its own target.
        expect(url.href).toBe(`${target.url}/spring`);
        continue;
      }
      expect(url.origin, path).toBe(collector.url);
      expect(res?.status(), path).toBe(404);
      await expect(page.getByRole('heading', { name: 'No such link' })).toBeVisible();
      expect(await page.context().cookies()).toEqual([]);
    }
    expect(elsewhere).toEqual([]);
    expect(dialogs).toEqual([]);
  } finally {
    await target.close();
  }
});
