// @vitest-environment happy-dom
import { afterEach, describe, expect, it, vi } from 'vitest';
import { IGNORE_KEY } from './skip.ts';
import { closePage, openPage } from '../testing/test-page.ts';

afterEach(closePage);

function setNavigator(name: string, value: unknown): void {
  Object.defineProperty(navigator, name, { configurable: true, value });
}

describe('skip rules', () => {
  it.each([
    ['the visitor opted out', {}, () => localStorage.setItem(IGNORE_KEY, 'true'), 'footfall_ignore'],
    ['Do Not Track, when the site respects it', { respectDnt: true }, () => setNavigator('doNotTrack', '1'), 'doNotTrack'],
    [
      'Global Privacy Control, when the site respects it',
      { respectDnt: true },
      () => setNavigator('globalPrivacyControl', true),
      'doNotTrack',
    ],
    ['an automated browser', {}, () => setNavigator('webdriver', true), 'webdriver'],
  ])('sends nothing when %s, and says why with debug', async (_, options, arrange, reason) => {
    const page = await openPage();
    const log = vi.spyOn(console, 'log').mockImplementation(() => {});
    arrange();
    page.tracker.init({ site: 'shop', debug: true, ...options });
    page.tracker.track('Signup');
    await page.wait(2000);
    dispatchEvent(new Event('pagehide'));
    expect(page.sent).toEqual([]);
    expect(log.mock.calls).toEqual([
      ['Footfall ignored', 'pageview', reason],
      ['Footfall ignored', 'Signup', reason],
      ['Footfall ignored', 'engagement', reason],
    ]);
  });

  it('is silent about skips without debug', async () => {
    const page = await openPage();
    const log = vi.spyOn(console, 'log').mockImplementation(() => {});
    localStorage.setItem(IGNORE_KEY, 'true');
    page.tracker.init({ site: 'shop' });
    await page.wait(2000);
    expect(page.sent).toEqual([]);
    expect(log).not.toHaveBeenCalled();
  });

  it.each(['http://localhost:3000/a', 'http://127.0.0.1:8000/', 'http://[::1]/'])(
    'skips %s unless the site includes localhost',
    async (url) => {
      const skipped = await openPage({ url });
      const log = vi.spyOn(console, 'log').mockImplementation(() => {});
      skipped.tracker.init({ site: 'shop', debug: true });
      await skipped.wait(1000);
      expect(skipped.sent).toEqual([]);
      expect(log.mock.calls).toEqual([['Footfall ignored', 'pageview', 'localhost']]);

      const counted = await openPage({ url });
      counted.tracker.init({ site: 'shop', includeLocalhost: true });
      await counted.wait(1000);
      expect(counted.events()).toMatchObject([{ n: 'pageview' }]);
    },
  );

  it('counts Do Not Track browsers when the site does not ask to respect it', async () => {
    const page = await openPage();
    setNavigator('doNotTrack', '1');
    page.tracker.init({ site: 'shop' });
    await page.wait(1000);
    expect(page.events()).toHaveLength(1);
  });

  it('counts an automated browser whose storage says footfall_ignore = "false", as the test suite does', async () => {
    const page = await openPage({ webdriver: true });
    localStorage.setItem(IGNORE_KEY, 'false');
    page.tracker.init({ site: 'shop' });
    await page.wait(1000);
    expect(page.events()).toHaveLength(1);
  });

  it('optOut() stops counting at once and on later pages; optIn() resumes', async () => {
    const page = await openPage();
    page.tracker.init({ site: 'shop' });
    page.tracker.optOut();
    expect(localStorage.getItem(IGNORE_KEY)).toBe('true');
    page.tracker.track('After opting out');
    await page.wait(1000);
    expect(page.events().map((e) => e.n)).toEqual(['pageview']);
    page.tracker.optIn();
    expect(localStorage.getItem(IGNORE_KEY)).toBeNull();
    page.tracker.track('After opting in');
    await page.wait(1000);
    expect(page.events().map((e) => e.n)).toEqual(['pageview', 'After opting in']);
  });

  it('stores no identifier and sets no cookie', async () => {
    const page = await openPage();
    page.tracker.init({ site: 'shop' });
    page.tracker.track('Signup');
    await page.wait(1000);
    dispatchEvent(new Event('pagehide'));
    expect(document.cookie).toBe('');
    expect(Object.keys(localStorage)).toEqual([]);
    expect(JSON.stringify(page.sent)).not.toMatch(/"(id|visitor|session|user_id|timestamp)"/);
  });
});
