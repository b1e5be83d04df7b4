// @vitest-environment happy-dom
import { afterEach, describe, expect, it, vi } from 'vitest';
import { STORE_KEY } from './queue.ts';
import { closePage, openPage } from '../testing/test-page.ts';

afterEach(closePage);

describe('batching', () => {
  it('sends the page view with others of the same second, in one fetch, to the events endpoint', async () => {
    const page = await openPage();
    page.tracker.init({ site: 'shop', api: 'https://stats.example/' });
    await page.wait(400);
    page.tracker.track('Signup', { props: { plan: 'pro' }, revenue: { amount: 29, currency: 'EUR' } });
    expect(page.sent).toEqual([]);
    await page.wait(600);
    expect(page.sent).toHaveLength(1);
    expect(page.sent[0]).toMatchObject({ via: 'fetch', url: 'https://stats.example/events', batch: { s: 'shop' } });
    expect(page.events()).toEqual([
      { via: 'fetch', n: 'pageview', u: 'https://shop.example/a', k: '/a', r: '', a: 1000 },
      { via: 'fetch', n: 'Signup', u: 'https://shop.example/a', k: '/a', p: { plan: 'pro' }, $: { amount: 29, currency: 'EUR' }, a: 600 },
    ]);
  });

  it("sends at once when 25 events are queued, to this page's origin when no api is given", async () => {
    const page = await openPage();
    page.tracker.init({ site: 'shop' });
    for (let i = 1; i < 25; i++) page.tracker.track(`E${i}`);
    await page.wait(0);
    expect(page.sent).toHaveLength(1);
    expect(page.sent[0]!.batch.e).toHaveLength(25);
    expect(new URL(page.sent[0]!.url, location.href).href).toBe('https://shop.example/events');
  });

  it('sends before a batch would pass 20,000 characters, so every body stays under 64 KB', async () => {
    const page = await openPage();
    page.tracker.init({ site: 'shop' });
    const big = { props: { text: 'é'.repeat(500), more: 'x'.repeat(500) } };
    for (let i = 0; i < 24; i++) page.tracker.track('Big', big);
    await page.wait(1000);
    expect(page.sent.length).toBeGreaterThan(1);
    for (const { batch } of page.sent) expect(new TextEncoder().encode(JSON.stringify(batch)).length).toBeLessThan(64 * 1024);
    for (const { batch } of page.sent) expect(JSON.stringify(batch.e).length).toBeLessThan(21_000);
    expect(page.events()).toHaveLength(25);
  });

  it('sends by beacon when the page is hidden or left', async () => {
    const page = await openPage();
    page.tracker.init({ site: 'shop' });
    dispatchEvent(new Event('pagehide'));
    expect(page.sent.map((s) => s.via)).toEqual(['beacon']);
    expect(page.events()[0]).toMatchObject({ n: 'pageview', a: 0 });
  });

  it('falls back to a keepalive fetch when the beacon is refused', async () => {
    const page = await openPage({ beacon: false });
    page.tracker.init({ site: 'shop' });
    dispatchEvent(new Event('pagehide'));
    await page.wait(0);
    expect(page.sent.map((s) => s.via)).toEqual(['fetch']);
    expect(fetch).toHaveBeenCalledWith('/events', expect.objectContaining({ method: 'POST', keepalive: true }));
    expect(typeof (fetch as unknown as { mock: { calls: [string, RequestInit][] } }).mock.calls[0]![1].body).toBe('string');
  });

  it('records nothing tracked before init, and does not throw', async () => {
    const page = await openPage();
    expect(() => page.tracker.track('Too early')).not.toThrow();
    page.tracker.init({ site: 'shop' });
    page.tracker.track('On time');
    await page.wait();
    expect(page.events().map((e) => e.n)).toEqual(['pageview', 'On time']);
  });

  it('init() without a site counts nothing, and says so on the console', async () => {
    const page = await openPage();
    const log = vi.spyOn(console, 'log').mockImplementation(() => {});
    page.tracker.init({ site: '' });
    page.tracker.track('Signup');
    await page.wait(2000);
    expect(page.sent).toEqual([]);
    expect(log.mock.calls).toEqual([['Footfall needs data-site']]);
  });

  it('flush() sends at once', async () => {
    const page = await openPage();
    page.tracker.init({ site: 'shop' });
    page.tracker.flush();
    await page.wait(0);
    expect(page.sent).toHaveLength(1);
  });
});

describe('what cannot be delivered waits for the next page load', () => {
  it.each([[503], [429], ['offline' as const]])('keeps a batch the collector answers %s, and resends it with its age', async (answer) => {
    const failing = await openPage({ fetch: answer });
    failing.tracker.init({ site: 'shop' });
    await failing.wait(1000);
    const stored = JSON.parse(localStorage.getItem(STORE_KEY)!);
    expect(stored).toEqual([expect.objectContaining({ n: 'pageview', a: 1_700_000_000_000 })]);

    // The next page of the site, a minute later: the same storage, a new tracker.
    const next = await openPage({ url: 'https://shop.example/b' });
    localStorage.setItem(STORE_KEY, JSON.stringify(stored));
    await next.wait(60_000 - 1000);
    next.tracker.init({ site: 'shop' });
    await next.wait(1000);
    expect(next.events().map((e) => [e.n, e.u, e.a])).toEqual([
      ['pageview', 'https://shop.example/b', 1000],
      ['pageview', 'https://shop.example/a', 60_000],
    ]);
    expect(localStorage.getItem(STORE_KEY)).toBeNull();
  });

  it('keeps a batch the collector refused as a whole (a 400 for a site it does not know yet), so that a fixed configuration still gets it', async () => {
    const page = await openPage({ fetch: 400 });
    page.tracker.init({ site: 'shop' });
    await page.wait(1000);
    expect(JSON.parse(localStorage.getItem(STORE_KEY)!)).toEqual([expect.objectContaining({ n: 'pageview' })]);
  });

  it('keeps only the newest 100 events, so a blocked collector cannot fill storage', async () => {
    const page = await openPage({ fetch: 'offline' });
    page.tracker.init({ site: 'shop' });
    for (let round = 0; round < 5; round++) {
      for (let i = 0; i < 25; i++) page.tracker.track(`R${round}`);
      await page.wait(1000);
    }
    const stored = JSON.parse(localStorage.getItem(STORE_KEY)!) as { n: string }[];
    expect(stored).toHaveLength(100);
    expect(stored.at(-1)!.n).toBe('R4');
    expect(stored.some((e) => e.n === 'pageview')).toBe(false);
  });

  it('never throws into the page, whatever storage holds or the network does', async () => {
    const page = await openPage({ fetch: 'offline' });
    localStorage.setItem(STORE_KEY, '{not json');
    expect(() => page.tracker.init({ site: 'shop' })).not.toThrow();
    Object.defineProperty(navigator, 'sendBeacon', {
      configurable: true,
      value: () => {
        throw new TypeError('blocked');
      },
    });
    expect(() => dispatchEvent(new Event('pagehide'))).not.toThrow();
    // @ts-expect-error a page that passes what the types forbid
    expect(() => page.tracker.track('Loop', { props: { self: globalThis } })).not.toThrow();
    await page.wait(2000);
  });
});

describe('with debug, what the collector answered', () => {
  const answers = {
    ignored: '{"status":"ignored","reason":"headless_browser","message":"not counted: the User-Agent is a bot\'s (headless browser)"}',
    unknown: '{"status":"error","message":"s: site id: unknown site","errors":[{"field":"s","reason":"site id: unknown site"}]}',
  };

  it.each([
    ["a visit the collector ignores as a bot's", 200, answers.ignored],
    ['a site the collector does not know', 400, answers.unknown],
    ['a server that is not the collector (the script self-hosted without data-api)', 404, 'Cannot POST /events'],
    ['a batch it took', 202, '{"status":"success","accepted":1,"ignored":0,"rejected":[]}'],
  ])('is printed as one line for %s', async (_, status, answer) => {
    const page = await openPage({ fetch: status, answer });
    const log = vi.spyOn(console, 'log').mockImplementation(() => {});
    page.tracker.init({ site: 'shop', debug: true });
    await page.wait(1000);
    expect(log.mock.calls).toEqual([['Footfall', status, '/events', answer]]);
  });

  it("comes by fetch for every batch, the one sent as the page is left too: a beacon's answer cannot be read", async () => {
    const page = await openPage({ fetch: 200, answer: answers.ignored });
    const log = vi.spyOn(console, 'log').mockImplementation(() => {});
    page.tracker.init({ site: 'shop', debug: true });
    dispatchEvent(new Event('pagehide'));
    await page.wait(0);
    expect(page.sent.map((s) => s.via)).toEqual(['fetch']);
    expect(log.mock.calls).toEqual([['Footfall', 200, '/events', answers.ignored]]);
  });

  it('is neither read nor printed without debug', async () => {
    const page = await openPage({ fetch: 400, answer: answers.unknown });
    const log = vi.spyOn(console, 'log').mockImplementation(() => {});
    page.tracker.init({ site: 'shop' });
    await page.wait(1000);
    dispatchEvent(new Event('pagehide'));
    await page.wait(0);
    expect(page.sent.map((s) => s.via)).toEqual(['fetch', 'beacon']);
    expect(log).not.toHaveBeenCalled();
  });
});
