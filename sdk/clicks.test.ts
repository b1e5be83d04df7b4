// @vitest-environment happy-dom
import { afterEach, describe, expect, it } from 'vitest';
import { closePage, openPage } from '../testing/test-page.ts';

afterEach(() => {
  document.body.innerHTML = '';
  closePage();
});

function click(selector: string, init: MouseEventInit = {}): void {
  const type = init.button ? 'auxclick' : 'click';
  document.querySelector(selector)!.dispatchEvent(new MouseEvent(type, { bubbles: true, cancelable: true, ...init }));
}

/** Clicks without following links: the tests stay on their page. */
function stayOnPage(): void {
  document.addEventListener('click', (event) => event.preventDefault());
}

describe('clicks', () => {
  it('reports each click on a link with its download attribute, sent at once, for the collector to classify', async () => {
    const page = await openPage();
    document.body.innerHTML = `
      <a id="out" href="https://partner.example/offer">Partner</a>
      <a id="pdf" href="/files/price-list.PDF?v=2">Prices</a>
      <a id="attr" href="/export" download>Export</a>
      <a id="named" href="/export" download="orders.csv">Orders</a>
      <a id="in" href="/about">About</a>
      <a id="mail" href="mailto:hello@shop.example">Mail</a>
      <a id="none">No link</a>`;
    stayOnPage();
    page.tracker.init({ site: 'shop' });
    for (const id of ['#out', '#pdf', '#attr', '#named', '#in', '#mail', '#none']) click(id);
    const clicks = page.events().filter((e) => e.n === 'click');
    const at = { via: 'beacon', n: 'click', u: 'https://shop.example/a', k: '/a' };
    expect(clicks).toEqual([
      { ...at, l: 'https://partner.example/offer', d: null, a: 0 },
      { ...at, l: 'https://shop.example/files/price-list.PDF?v=2', d: null, a: 0 },
      { ...at, l: 'https://shop.example/export', d: '', a: 0 },
      { ...at, l: 'https://shop.example/export', d: 'orders.csv', a: 0 },
      { ...at, l: 'https://shop.example/about', d: null, a: 0 },
      { ...at, l: 'mailto:hello@shop.example', d: null, a: 0 },
    ]);
  });

  it('records a tagged element as its custom event, with its data attributes and label as found', async () => {
    const page = await openPage();
    document.body.innerHTML = `
      <button id="plain" data-footfall-event="Signup" data-footfall-prop-plan="pro" data-footfall-prop-billing-cycle="yearly">
        <b>Start</b>   a trial
      </button>
      <button id="labelled" data-footfall-event="Close" aria-label="Close the dialog">×</button>`;
    page.tracker.init({ site: 'shop' });
    click('#plain b');
    click('#labelled');
    await page.wait();
    expect(page.events().slice(1)).toEqual([
      expect.objectContaining({
        n: 'Signup',
        t: { footfallEvent: 'Signup', footfallPropPlan: 'pro', footfallPropBillingCycle: 'yearly' },
        x: '\n        Start   a trial\n      ',
      }),
      expect.objectContaining({ n: 'Close', t: { footfallEvent: 'Close' }, x: 'Close the dialog' }),
    ]);
  });

  it('counts a middle click on a link, never a right click', async () => {
    const page = await openPage();
    document.body.innerHTML =
      '<a id="out" href="https://partner.example/" data-footfall-event="Partner">Partner</a><button id="b" data-footfall-event="B">b</button>';
    page.tracker.init({ site: 'shop' });
    click('#out', { button: 1 });
    click('#out', { button: 2 });
    click('#b', { button: 1 });
    await page.wait();
    expect(
      page
        .events()
        .slice(1)
        .map((e) => [e.n, e.x, e.l]),
    ).toEqual([
      ['Partner', 'Partner', undefined],
      ['click', undefined, 'https://partner.example/'],
    ]);
  });

  it('cuts a huge label to 2,000 characters, so that one element cannot swell a batch', async () => {
    const page = await openPage();
    document.body.innerHTML = `<div id="long" data-footfall-event="Read">${'word '.repeat(1000)}</div>`;
    page.tracker.init({ site: 'shop' });
    click('#long');
    await page.wait();
    expect(page.events()[1]!.x).toHaveLength(2000);
  });
});
