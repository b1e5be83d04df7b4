// @vitest-environment happy-dom
import { afterEach, describe, expect, it } from 'vitest';
import { closePage, layOut, openPage, scrollTo, setHidden } from '../testing/test-page.ts';

afterEach(closePage);

/** The page views sent, each as its URL's path and query. */
const views = (page: Awaited<ReturnType<typeof openPage>>) =>
  page
    .events()
    .filter((e) => e.n === 'pageview')
    .map((e) => new URL(e.u!).pathname + new URL(e.u!).search);

describe('page views', () => {
  it('counts the page on load with its referrer, and each pushState to a new path', async () => {
    Object.defineProperty(document, 'referrer', { configurable: true, value: 'https://search.example/' });
    const page = await openPage();
    page.tracker.init({ site: 'shop' });
    history.pushState({}, '', '/b');
    history.pushState({}, '', '/c?tab=2');
    await page.wait();
    expect(views(page)).toEqual(['/a', '/b', '/c?tab=2']);
    expect(page.events()[0]).toMatchObject({ k: '/a', r: 'https://search.example/' });
    expect(page.events()[2]).toMatchObject({ k: '/c' });
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
    expect(page.events().map((e) => [e.n, e.k])).toEqual([
      ['pageview', '/docs#/intro'],
      ['pageview', '/docs#/install'],
      ['Copied', '/docs#/install'],
    ]);
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

  it("leaves the host page's own history calls working", async () => {
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
    const engagement = page.events().filter((e) => e.n === 'engagement');
    expect(engagement).toEqual([
      { via: 'beacon', n: 'engagement', u: 'https://shop.example/a', k: '/a', y: 0.25, g: 3000, a: 0 },
      { via: 'beacon', n: 'engagement', u: 'https://shop.example/a', k: '/a', y: 0.25, g: 2000, a: 0 },
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
    expect(page.events().find((e) => e.n === 'engagement')).toMatchObject({ g: 1500 });
    delete (document as unknown as Record<string, unknown>).hasFocus;
  });

  it("sends each SPA page's time under its own URL as the next is counted", async () => {
    const page = await openPage();
    page.tracker.init({ site: 'shop' });
    await page.wait(4000);
    history.pushState({}, '', '/b');
    await page.wait(1000);
    expect(page.events().map((e) => [e.n, e.u, e.g])).toEqual([
      ['pageview', 'https://shop.example/a', undefined],
      ['engagement', 'https://shop.example/a', 4000],
      ['pageview', 'https://shop.example/b', undefined],
    ]);
  });
});

describe('scroll depth', () => {
  /** The scroll depth each engagement event carried, in order. */
  const depths = (page: Awaited<ReturnType<typeof openPage>>) =>
    page
      .events()
      .filter((e) => e.n === 'engagement')
      .map((e) => [e.k, e.y]);

  it("sends with the engagement how far down the viewport's bottom went, however far back up the page was scrolled", async () => {
    const page = await openPage();
    page.tracker.init({ site: 'shop' });
    await page.wait(1000);
    scrollTo(1000); // the viewport's bottom at 2,000 of 4,000 pixels: half way
    scrollTo(2200);
    scrollTo(300);
    dispatchEvent(new Event('pagehide'));
    expect(depths(page)).toEqual([['/a', 0.8]]);
    expect(
      page
        .events()
        .filter((e) => e.n !== 'engagement')
        .every((e) => !('y' in e)),
    ).toBe(true);
  });

  it("keeps each page's greatest depth until it is left, across visits to other tabs", async () => {
    const page = await openPage();
    page.tracker.init({ site: 'shop' });
    await page.wait(1000);
    scrollTo(1000);
    setHidden(true);
    setHidden(false);
    scrollTo(0);
    await page.wait(1000);
    dispatchEvent(new Event('pagehide'));
    expect(depths(page)).toEqual([
      ['/a', 0.5],
      ['/a', 0.5],
    ]);
  });

  it('starts again on each SPA page, from where its viewport is', async () => {
    const page = await openPage();
    page.tracker.init({ site: 'shop' });
    await page.wait(1000);
    scrollTo(500);
    // The app renders the next page, which fits in the viewport, before it pushes its URL.
    layOut(0, 1000);
    history.pushState({}, '', '/b');
    await page.wait(1000);
    layOut(0, 4000);
    history.pushState({}, '', '/c');
    await page.wait(1000);
    dispatchEvent(new Event('pagehide'));
    expect(depths(page)).toEqual([
      ['/a', 0.375],
      ['/b', 1],
      ['/c', 0.25],
    ]);
  });

  it('says all of a page shorter than its viewport was seen: past 1, which the collector reads as 100%', async () => {
    const page = await openPage();
    layOut(0, 1000, 1017); // a horizontal scrollbar: the viewport counts it, the document does not
    page.tracker.init({ site: 'shop' });
    await page.wait(1000);
    dispatchEvent(new Event('pagehide'));
    expect(depths(page)).toEqual([['/a', 1.017]]);
  });
});
