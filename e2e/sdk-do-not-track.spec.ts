import { expect, test } from './support/fixtures.ts';

// With data-respect-dnt, a browser that sends Do Not Track or Global Privacy Control is sent nothing from.

for (const [signal, script] of [
  ['Do Not Track', () => Object.defineProperty(Navigator.prototype, 'doNotTrack', { get: () => '1' })],
  ['Global Privacy Control', () => Object.defineProperty(Navigator.prototype, 'globalPrivacyControl', { get: () => true })],
] as const) {
  test(`${signal} is respected when the site asks`, async ({ page, footfall }) => {
    await page.context().addInitScript(script);
    const sent: string[] = [];
    page.on(
      'request',
      (request) => request.url().includes(footfall.collector.url) && request.method() === 'POST' && sent.push(request.url()),
    );

    const respecting = footfall.servePage('/private', 'data-include-localhost data-respect-dnt data-debug');
    const skipped = page.waitForEvent('console', (message) => message.text() === 'Footfall ignored pageview doNotTrack');
    await page.goto(respecting);
    await skipped;
    const probe = page.waitForEvent('console', (message) => message.text() === 'Footfall ignored Signup doNotTrack');
    await page.evaluate(() => window.footfall!('Signup'));
    await probe;

    // A site that does not ask counts the same browser; its events arrive after anything the first page sent.
    const other = footfall.servePage('/public', 'data-include-localhost');
    await footfall.expectEvents(() => page.goto(other), { expect: [{ name: 'pageview', path: '/public' }] });
    expect(footfall.events().filter((e) => e.path === '/private' || e.name === 'Signup')).toEqual([]);
    expect(sent.length).toBeGreaterThan(0);
  });
}
