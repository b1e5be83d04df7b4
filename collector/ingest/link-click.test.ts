import { describe, expect, it } from 'vitest';
import { classifyLinkClick, DEFAULT_DOWNLOADS } from './link-click.ts';

const PAGE = 'https://shop.example/contact';
const classify = (link: string, download: string | null = null, downloads = DEFAULT_DOWNLOADS, page: string | null = PAGE) =>
  classifyLinkClick(link, page, download, downloads);

describe('classifyLinkClick', () => {
  it("calls a link to another host outbound, and one to the page's own host nothing", () => {
    expect(classify('https://partner.example/offer')).toBe('outbound');
    expect(classify('https://www.shop.example/')).toBe('outbound');
    expect(classify('https://shop.example:8443/')).toBe('outbound');
    expect(classify('https://shop.example/about')).toBeNull();
    expect(classify('http://shop.example/about?x=1#top')).toBeNull();
  });

  it('calls a file of a download type a download, wherever it is, whatever the case of its extension', () => {
    expect(classify('https://shop.example/files/price-list.PDF?v=2')).toBe('download');
    expect(classify('https://cdn.example/app.dmg')).toBe('download');
    expect(classify('https://shop.example/archive.tar.gz')).toBe('download');
    expect(classify('https://shop.example/pdf')).toBeNull();
    expect(classify('https://shop.example/v1.2/notes')).toBeNull();
  });

  it('calls a link with a download attribute a download, bare or named', () => {
    expect(classify('https://shop.example/export', '')).toBe('download');
    expect(classify('https://shop.example/export', 'orders.csv')).toBe('download');
  });

  it("takes the site's own list of extensions instead of the default", () => {
    const own = ['stl', 'step'];
    expect(classify('https://shop.example/model.STL', null, own)).toBe('download');
    expect(classify('https://shop.example/a.pdf', null, own)).toBeNull();
    expect(classify('https://other.example/a.pdf', null, own)).toBe('outbound');
  });

  it('counts nothing but http(s) links', () => {
    expect(classify('mailto:hello@shop.example')).toBeNull();
    expect(classify('tel:+100')).toBeNull();
    expect(classify('javascript:void(0)')).toBeNull();
    expect(classify('ftp://files.example/a.zip')).toBeNull();
    expect(classify('not a url')).toBeNull();
  });

  it('without a page to compare with, counts only downloads', () => {
    expect(classify('https://partner.example/', null, DEFAULT_DOWNLOADS, null)).toBeNull();
    expect(classify('https://partner.example/', null, DEFAULT_DOWNLOADS, 'not a url')).toBeNull();
    expect(classify('https://partner.example/a.zip', null, DEFAULT_DOWNLOADS, null)).toBe('download');
  });
});
