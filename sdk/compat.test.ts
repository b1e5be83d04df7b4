// @vitest-environment happy-dom
import { afterEach, describe, expect, it, vi } from 'vitest';
import { closePage, openPage } from '../testing/test-page.ts';

afterEach(() => {
  closePage();
  delete window.plausible;
  delete window.umami;
});

/** Runs the compat script as a page's <script> tag with these attributes, loaded from `src`, would. */
async function loadScript(attributes: Record<string, string>, src: string): Promise<void> {
  const script = document.createElement('script');
  script.setAttribute('src', src);
  for (const [name, value] of Object.entries(attributes)) script.setAttribute(name, value);
  Object.defineProperty(document, 'currentScript', { configurable: true, value: script });
  await import('./compat.ts');
}

function click(html: string): void {
  document.body.innerHTML = html;
  document.addEventListener('click', (event) => event.preventDefault());
  document.body.firstElementChild!.dispatchEvent(new MouseEvent('click', { bubbles: true, cancelable: true }));
}

describe("Plausible's snippet", () => {
  it('reads data-domain (www. stripped) as the site and sends to the origin it was loaded from; a .hash. variant counts the hash', async () => {
    const page = await openPage({ url: 'https://shop.example/app#/settings' });
    await loadScript({ 'data-domain': 'www.shop.example,other.example' }, 'https://stats.example/js/script.hash.outbound-links.js');
    await page.wait();
    expect(page.sent[0]).toMatchObject({ url: 'https://stats.example/events', batch: { s: 'shop.example' } });
    expect(page.events().map((e) => [e.n, e.k])).toEqual([['pageview', '/app#/settings']]);
  });

  it('sends beside the endpoint data-api names, keeping a proxy prefix', async () => {
    const page = await openPage({ url: 'https://shop.example/a' });
    await loadScript({ 'data-domain': 'shop.example', 'data-api': '/stats/api/event' }, 'https://shop.example/stats/js/script.js');
    await page.wait();
    expect(page.sent[0]!.url).toBe('https://shop.example/stats/events');
    expect(page.events()[0]!.k).toBe('/a');
  });

  it('replays calls queued before it loaded, then takes plausible() calls with props, revenue and a callback', async () => {
    const page = await openPage({ url: 'https://shop.example/' });
    const queued = Object.assign(() => {}, { q: [['Early', { props: { a: 1 } }]] as unknown as IArguments[] });
    window.plausible = queued;
    await loadScript({ 'data-domain': 'shop.example' }, 'https://stats.example/js/script.js');
    const callback = vi.fn();
    window.plausible!('Purchase', { props: { sku: 'A1' }, revenue: { amount: '19.90', currency: 'EUR' }, callback });
    await page.wait();
    expect(callback).toHaveBeenCalledOnce();
    expect(page.events().map((e) => [e.n, e.p, e.$])).toEqual([
      ['pageview', undefined, undefined],
      ['Early', { a: 1 }, undefined],
      ['Purchase', { sku: 'A1' }, { amount: 19.9, currency: 'EUR' }],
    ]);
  });

  it('records a click on an element tagged with plausible-event-name= classes, with its properties', async () => {
    const page = await openPage({ url: 'https://shop.example/' });
    await loadScript({ 'data-domain': 'shop.example' }, 'https://stats.example/js/script.tagged-events.js');
    click('<button class="big plausible-event-name=Sign+Up plausible-event-plan=pro+yearly"><span>Join</span></button>');
    await page.wait();
    expect(page.events().map((e) => [e.n, e.p])).toEqual([
      ['pageview', undefined],
      ['Sign Up', { plan: 'pro yearly' }],
    ]);
  });

  it('counts no page view by itself in the manual variant: plausible("pageview", { u, props }) counts one where told', async () => {
    const page = await openPage({ url: 'https://shop.example/account/42' });
    await loadScript({ 'data-domain': 'shop.example' }, 'https://stats.example/js/script.manual.js');
    history.pushState({}, '', '/account/43');
    window.plausible!('pageview', { u: 'https://shop.example/account/:id', props: { tier: 'gold' } });
    window.plausible!('Signup');
    await page.wait();
    expect(page.events().map((e) => [e.n, e.k, e.u, e.p])).toEqual([
      ['pageview', '/account/:id', 'https://shop.example/account/:id', { tier: 'gold' }],
      ['Signup', '/account/43', 'https://shop.example/account/43', undefined],
    ]);
  });

  it('counts no page of data-exclude, and only pages of data-include, with * and ** as Plausible reads them', async () => {
    const page = await openPage({ url: 'https://shop.example/blog/post' });
    await loadScript(
      { 'data-domain': 'shop.example', 'data-include': '/blog/**, /docs/*', 'data-exclude': '/blog/drafts/**' },
      'https://stats.example/js/script.exclusions.js',
    );
    for (const path of ['/blog/drafts/one', '/docs/a', '/docs/a/b', '/pricing', '/docs/b/']) history.pushState({}, '', path);
    window.plausible!('Signup');
    await page.wait();
    expect(page.events().map((e) => [e.n, e.k])).toEqual([
      ['pageview', '/blog/post'],
      ['pageview', '/docs/a'],
      ['pageview', '/docs/b/'],
      // Custom events are counted on every page, as Plausible's exclusions leave them.
      ['Signup', '/docs/b/'],
    ]);
  });

  it("adds the script tag's event-* attributes to every page view and custom event (pageview-props)", async () => {
    const page = await openPage({ url: 'https://shop.example/' });
    await loadScript(
      { 'data-domain': 'shop.example', 'event-author': 'Ada', 'event-section': 'news' },
      'https://stats.example/js/script.pageview-props.js',
    );
    window.plausible!('Share', { props: { section: 'sports' } });
    await page.wait();
    expect(page.events().map((e) => [e.n, e.p])).toEqual([
      ['pageview', { author: 'Ada', section: 'news' }],
      ['Share', { author: 'Ada', section: 'sports' }],
    ]);
  });
});

describe("Umami's snippet", () => {
  const website = '7c1e2b5a-3d4f-4a6b-9c8d-0e1f2a3b4c5d';

  it('reads data-website-id as the site, sends beside the script, and counts the hash as Umami does', async () => {
    const page = await openPage({ url: 'https://shop.example/app#/x' });
    await loadScript({ 'data-website-id': website }, 'https://stats.example/script.js');
    await page.wait();
    expect(page.sent[0]).toMatchObject({ url: 'https://stats.example/events', batch: { s: website } });
    expect(page.events().map((e) => [e.n, e.k])).toEqual([['pageview', '/app#/x']]);
  });

  it('takes data-host-url and data-exclude-hash', async () => {
    const page = await openPage({ url: 'https://shop.example/app#/x' });
    await loadScript(
      { 'data-website-id': website, 'data-host-url': 'https://collect.example/', 'data-exclude-hash': 'true' },
      'https://cdn.example/u.js',
    );
    await page.wait();
    expect(page.sent[0]!.url).toBe('https://collect.example/events');
    expect(page.events()[0]!.k).toBe('/app');
  });

  it('keeps umami.track working: a name with data (revenue with currency a sale), an object, a function; data-tag on each', async () => {
    const page = await openPage({ url: 'https://shop.example/' });
    await loadScript({ 'data-website-id': website, 'data-tag': 'beta' }, 'https://stats.example/script.js');
    window.umami!.track('Buy', { revenue: 5, currency: 'usd', sku: 'A' });
    window.umami!.track({ name: 'Obj', data: { n: 1, deep: { x: 1 } } });
    window.umami!.track((payload) => ({ ...payload, name: `Fn ${payload.url}` }));
    window.umami!.track('Tip', { revenue: 2 });
    window.umami!.identify();
    await page.wait();
    expect(page.events().map((e) => [e.n, e.p, e.$])).toEqual([
      // Umami sends its tag with page views too (as /api/send keeps it).
      ['pageview', { tag: 'beta' }, undefined],
      ['Buy', { sku: 'A', tag: 'beta' }, { amount: 5, currency: 'USD' }],
      ['Obj', { n: 1, tag: 'beta' }, undefined],
      ['Fn /', { tag: 'beta' }, undefined],
      ['Tip', { revenue: 2, tag: 'beta' }, undefined],
    ]);
  });

  it('records a click on a data-umami-event element with its data-umami-event-* properties', async () => {
    const page = await openPage({ url: 'https://shop.example/' });
    await loadScript({ 'data-website-id': website }, 'https://stats.example/script.js');
    click('<button data-umami-event="Signup" data-umami-event-plan="pro"><b>Join</b></button>');
    await page.wait();
    expect(page.events().map((e) => [e.n, e.p])).toEqual([
      ['pageview', undefined],
      ['Signup', { plan: 'pro' }],
    ]);
  });

  it('counts nothing on a host data-domains does not list, nor when data-do-not-track meets Do Not Track', async () => {
    const page = await openPage({ url: 'https://preview.example/' });
    await loadScript({ 'data-website-id': website, 'data-domains': 'shop.example, www.shop.example' }, 'https://stats.example/script.js');
    window.umami!.track('Buy');
    await page.wait();
    expect(page.sent).toEqual([]);
  });

  it('counts page views and tagged clicks only when the page calls umami.track() with data-auto-track="false"', async () => {
    const page = await openPage({ url: 'https://shop.example/a' });
    await loadScript({ 'data-website-id': website, 'data-auto-track': 'false' }, 'https://stats.example/script.js');
    history.pushState({}, '', '/b');
    click('<button data-umami-event="Signup">Join</button>');
    window.umami!.track();
    window.umami!.track((payload) => ({ ...payload, url: '/custom' }));
    window.umami!.track('Buy');
    await page.wait();
    expect(page.events().map((e) => [e.n, e.k])).toEqual([
      ['pageview', '/b'],
      ['pageview', '/custom'],
      ['Buy', '/b'],
    ]);
  });

  it('leaves the query out of every URL with data-exclude-search', async () => {
    const page = await openPage({ url: 'https://shop.example/a?utm_source=news&q=1#top' });
    await loadScript({ 'data-website-id': website, 'data-exclude-search': 'true' }, 'https://stats.example/script.js');
    window.umami!.track('Buy');
    await page.wait();
    expect(page.events().map((e) => [e.n, e.u, e.k])).toEqual([
      ['pageview', 'https://shop.example/a#top', '/a#top'],
      ['Buy', 'https://shop.example/a#top', '/a#top'],
    ]);
  });

  it('honours data-do-not-track', async () => {
    const page = await openPage({ url: 'https://shop.example/' });
    vi.spyOn(navigator, 'doNotTrack', 'get').mockReturnValue('1');
    await loadScript({ 'data-website-id': website, 'data-do-not-track': 'true' }, 'https://stats.example/script.js');
    await page.wait();
    expect(page.sent).toEqual([]);
  });
});
