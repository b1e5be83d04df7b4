// @vitest-environment happy-dom
import { afterEach, describe, expect, it } from 'vitest';
import { closePage, openPage } from './test-page.ts';

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
  it('counts outbound links and downloads, sent at once, and not internal links', async () => {
    const page = await openPage();
    document.body.innerHTML = `
      <a id="out" href="https://partner.example/offer">Partner</a>
      <a id="pdf" href="/files/price-list.PDF?v=2">Prices</a>
      <a id="attr" href="/export" download>Export</a>
      <a id="in" href="/about">About</a>
      <a id="mail" href="mailto:hello@shop.example">Mail</a>`;
    stayOnPage();
    page.tracker.init({ site: 'shop' });
    for (const id of ['#out', '#pdf', '#attr', '#in', '#mail']) click(id);
    const clicks = page.events().filter((e) => e.event_type === 'click');
    expect(clicks).toEqual([
      expect.objectContaining({ via: 'beacon', link: 'https://partner.example/offer', element: 'outbound', url: 'https://shop.example/a' }),
      expect.objectContaining({ via: 'beacon', link: 'https://shop.example/files/price-list.PDF?v=2', element: 'download' }),
      expect.objectContaining({ via: 'beacon', link: 'https://shop.example/export', element: 'download' }),
    ]);
  });

  it('takes the site\'s own list of download extensions', async () => {
    const page = await openPage();
    document.body.innerHTML = '<a id="pdf" href="/a.pdf">pdf</a><a id="stl" href="/model.stl">stl</a>';
    stayOnPage();
    page.tracker.init({ site: 'shop', downloads: ['stl', 'step'] });
    click('#pdf');
    click('#stl');
    expect(page.events().filter((e) => e.event_type === 'click').map((e) => e.link)).toEqual(['https://shop.example/model.stl']);
  });

  it('records a tagged element as its custom event, with properties and label', async () => {
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
      expect.objectContaining({ event_type: 'Signup', props: { plan: 'pro', 'billing-cycle': 'yearly' }, element: 'Start a trial' }),
      expect.objectContaining({ event_type: 'Close', props: {}, element: 'Close the dialog' }),
    ]);
  });

  it('counts a middle click on a link, never a right click', async () => {
    const page = await openPage();
    document.body.innerHTML = '<a id="out" href="https://partner.example/" data-footfall-event="Partner">Partner</a><button id="b" data-footfall-event="B">b</button>';
    page.tracker.init({ site: 'shop' });
    click('#out', { button: 1 });
    click('#out', { button: 2 });
    click('#b', { button: 1 });
    await page.wait();
    expect(page.events().slice(1).map((e) => [e.event_type, e.element])).toEqual([
      ['Partner', 'Partner'],
      ['click', 'outbound'],
    ]);
  });

  it('clips a long label to 200 characters', async () => {
    const page = await openPage();
    document.body.innerHTML = `<div id="long" data-footfall-event="Read">${'word '.repeat(100)}</div>`;
    page.tracker.init({ site: 'shop' });
    click('#long');
    await page.wait();
    expect(page.events()[1]!.element).toHaveLength(200);
  });
});
