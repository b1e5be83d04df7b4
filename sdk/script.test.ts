// @vitest-environment happy-dom
import { afterEach, describe, expect, it, vi } from 'vitest';
import { closePage, openPage, type TestPage } from '../testing/test-page.ts';

afterEach(closePage);

/** Runs the script-tag entry as a page's <script> with these attributes would. */
async function loadScript(page: TestPage, attributes: Record<string, string>, src = 'https://stats.example/footfall.js'): Promise<void> {
  const script = document.createElement('script');
  script.setAttribute('src', src);
  for (const [name, value] of Object.entries(attributes)) script.setAttribute(name, value);
  Object.defineProperty(document, 'currentScript', { configurable: true, value: script });
  await import('./script.ts');
  void page;
}

describe('the script tag', () => {
  it('reads data-site, sends to the origin it was loaded from, and defines exactly one global', async () => {
    const page = await openPage();
    const before = new Set(Object.keys(window));
    await loadScript(page, { 'data-site': 'shop' });
    await page.wait();
    expect(page.sent[0]).toMatchObject({ url: 'https://stats.example/events', batch: { s: 'shop' } });
    expect(Object.keys(window).filter((key) => !before.has(key))).toEqual(['footfall']);
    expect(typeof window.footfall).toBe('function');
  });

  // Bare attributes (data-hash with no value) are true in browsers, as the e2e demo pages show;
  // happy-dom leaves empty attributes out of dataset, so these tests give a value.
  it('reads the boolean attributes, and data-api', async () => {
    const page = await openPage({ url: 'http://localhost:8001/docs#/faq' });
    await loadScript(page, {
      'data-site': 'shop',
      'data-api': 'https://collect.example/base/',
      'data-hash': 'true',
      'data-include-localhost': 'on',
    });
    document.body.innerHTML = '<a id="f" href="/m.step">model</a>';
    document.addEventListener('click', (event) => event.preventDefault());
    document.querySelector('#f')!.dispatchEvent(new MouseEvent('click', { bubbles: true, cancelable: true }));
    await page.wait();
    // The script adds the path as it is: the collector takes //events as /events.
    expect(page.sent[0]!.url).toBe('https://collect.example/base//events');
    expect(page.events().map((e) => [e.n, e.k, e.l])).toEqual([
      ['pageview', '/docs#/faq', undefined],
      ['click', '/docs#/faq', 'http://localhost:8001/m.step'],
    ]);
    document.body.innerHTML = '';
  });

  it('honours data-respect-dnt', async () => {
    const page = await openPage();
    Object.defineProperty(navigator, 'globalPrivacyControl', { configurable: true, value: true });
    await loadScript(page, { 'data-site': 'shop', 'data-respect-dnt': 'true' });
    await page.wait();
    expect(page.sent).toEqual([]);
  });

  it('replays the calls made to the stub before it loaded, after the page view', async () => {
    const page = await openPage();
    const stub = Object.assign(
      function footfall(...args: unknown[]) {
        // The documented stub: window.footfall = window.footfall || function () { (footfall.q = footfall.q || []).push(arguments) }
        (stub.q ??= []).push(args as unknown as IArguments);
      },
      { q: undefined as IArguments[] | undefined },
    );
    window.footfall = stub as unknown as Window['footfall'];
    window.footfall!('Early', { props: { n: 1 } });
    window.footfall!('Earlier revenue', { revenue: { amount: 9.5, currency: 'EUR' } });
    await loadScript(page, { 'data-site': 'shop' });
    window.footfall!('Late');
    await page.wait();
    expect(page.events().map((e) => e.n)).toEqual(['pageview', 'Early', 'Earlier revenue', 'Late']);
    expect(page.events()[1]).toMatchObject({ p: { n: 1 } });
    expect(page.events()[2]).toMatchObject({ $: { amount: 9.5, currency: 'EUR' } });
  });

  it('offers footfall.optOut() and footfall.optIn() on the global', async () => {
    const page = await openPage();
    await loadScript(page, { 'data-site': 'shop' });
    window.footfall!.optOut();
    expect(localStorage.getItem('footfall_ignore')).toBe('true');
    window.footfall!.optIn();
    expect(localStorage.getItem('footfall_ignore')).toBeNull();
  });

  it('without data-site it counts nothing, says so on the console, and the global still never throws', async () => {
    const page = await openPage();
    const log = vi.spyOn(console, 'log').mockImplementation(() => {});
    await loadScript(page, {});
    expect(() => window.footfall!('Signup')).not.toThrow();
    await page.wait(2000);
    expect(page.sent).toEqual([]);
    expect(log.mock.calls).toEqual([['Footfall needs data-site']]);
  });

  it('says a data-site is missing with data-debug too, once', async () => {
    const page = await openPage();
    const log = vi.spyOn(console, 'log').mockImplementation(() => {});
    await loadScript(page, { 'data-debug': 'true', 'data-site': '' });
    await page.wait(2000);
    expect(page.sent).toEqual([]);
    expect(log.mock.calls).toEqual([['Footfall needs data-site']]);
  });
});
