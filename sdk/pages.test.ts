// @vitest-environment happy-dom
import { afterEach, describe, expect, it } from 'vitest';
import { closePage, openPage, setHidden } from './test-page.ts';

afterEach(closePage);

const views = (page: Awaited<ReturnType<typeof openPage>>) =>
  page.events().filter((e) => e.event_type === 'pageview').map((e) => e.path ?? new URL(e.url!).pathname + new URL(e.url!).search);

describe('page views', () => {
  it('counts the page on load with its referrer, and each pushState to a new path', async () => {
    Object.defineProperty(document, 'referrer', { configurable: true, value: 'https://search.example/' });
    const page = await openPage();
    page.tracker.init({ site: 'shop' });
    history.pushState({}, '', '/b');
    history.pushState({}, '', '/c?tab=2');
    await page.wait();
    expect(views(page)).toEqual(['/a', '/b', '/c?tab=2']);
    expect(page.events()[0]).toMatchObject({ referrer: 'https://search.example/' });
    delete (document as unknown as Record<string, unknown>).referrer;
  });

  it('ignores history changes that keep the path: replaceState of the query, pushState of the same path, a hash', async () => {
    const page = await openPage();
    page.tracker.init({ site: 'shop' });
    history.replaceState({}, '', '/a?sort=date');
    history.pushState({}, '', '/a?sort=date');
    history.pushState({}, '', '/a#reviews');
    dispatchEvent(new PopStateEvent('popstate'));
    await page.wait();
    expect(views(page)).toEqual(['/a']);
  });

  it('counts back and forward (popstate) to another path', async () => {
    const page = await openPage();
    page.tracker.init({ site: 'shop' });
    history.pushState({}, '', '/b');
    (window as unknown as { happyDOM: { setURL(url: string): void } }).happyDOM.setURL('https://shop.example/a');
    dispatchEvent(new PopStateEvent('popstate'));
    await page.wait();
    expect(views(page)).toEqual(['/a', '/b', '/a']);
  });

  it('in hash mode sends the path with its hash, and counts a new hash', async () => {
    const page = await openPage({ url: 'https://shop.example/docs#/intro' });
    page.tracker.init({ site: 'shop', hash: true });
    location.hash = '#/install';
    dispatchEvent(new PopStateEvent('popstate'));
    page.tracker.track('Copied');
    await page.wait();
    expect(views(page)).toEqual(['/docs#/intro', '/docs#/install']);
    expect(page.events().at(-1)).toMatchObject({ event_type: 'Copied', path: '/docs#/install' });
  });

  it('counts a return from the back/forward cache, not an ordinary pageshow', async () => {
    const page = await openPage();
    page.tracker.init({ site: 'shop' });
    const pageshow = (persisted: boolean) => Object.assign(new Event('pageshow'), { persisted });
    dispatchEvent(pageshow(false));
    dispatchEvent(new Event('pagehide'));
    dispatchEvent(pageshow(true));
    await page.wait();
    expect(views(page)).toEqual(['/a', '/a']);
  });

  it('leaves the host page\'s own history calls working', async () => {
    const page = await openPage();
    page.tracker.init({ site: 'shop' });
    history.pushState({ step: 2 }, '', '/b');
    expect(history.state).toEqual({ step: 2 });
    expect(location.pathname).toBe('/b');
    await page.wait();
  });
});

describe('engagement', () => {
  it('sends the time the page was visible and focused when it is hidden, by beacon', async () => {
    const page = await openPage();
    page.tracker.init({ site: 'shop' });
    await page.wait(3000);
    setHidden(true);
    await page.wait(60_000); // hidden time does not count
    setHidden(false);
    await page.wait(2000);
    dispatchEvent(new Event('pagehide'));
    const engagement = page.events().filter((e) => e.event_type === 'engagement');
    expect(engagement).toEqual([
      { via: 'beacon', event_type: 'engagement', url: 'https://shop.example/a', engaged_ms: 3000, age: 0 },
      { via: 'beacon', event_type: 'engagement', url: 'https://shop.example/a', engaged_ms: 2000, age: 0 },
    ]);
  });

  it('does not count time without focus', async () => {
    const page = await openPage();
    page.tracker.init({ site: 'shop' });
    await page.wait(1000);
    document.hasFocus = () => false;
    dispatchEvent(new Event('blur'));
    await page.wait(10_000);
    document.hasFocus = () => true;
    dispatchEvent(new Event('focus'));
    await page.wait(500);
    dispatchEvent(new Event('pagehide'));
    expect(page.events().find((e) => e.event_type === 'engagement')).toMatchObject({ engaged_ms: 1500 });
    delete (document as unknown as Record<string, unknown>).hasFocus;
  });

  it('sends each SPA page\'s time under its own URL as the next is counted', async () => {
    const page = await openPage();
    page.tracker.init({ site: 'shop' });
    await page.wait(4000);
    history.pushState({}, '', '/b');
    await page.wait(1000);
    expect(page.events().map((e) => [e.event_type, e.url, e.engaged_ms])).toEqual([
      ['pageview', 'https://shop.example/a', undefined],
      ['engagement', 'https://shop.example/a', 4000],
      ['pageview', 'https://shop.example/b', undefined],
    ]);
  });
});
