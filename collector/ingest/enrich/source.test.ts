import { describe, expect, it } from 'vitest';
import { readReferrer } from './source.ts';

describe('readReferrer', () => {
  it('names a known source and keeps the referring page without query or fragment', () => {
    expect(readReferrer('https://www.google.com/search?q=secret#x', 'shop.test', [])).toEqual({
      referrer: 'https://www.google.com/search',
      source: 'Google',
    });
  });

  it('uses the host without www. for other sites', () => {
    expect(readReferrer('https://www.blog.example/post/1?token=abc', 'shop.test', [])).toEqual({
      referrer: 'https://www.blog.example/post/1',
      source: 'blog.example',
    });
  });

  it('treats navigation within the site as no source', () => {
    expect(readReferrer('https://shop.test/cart', 'shop.test', [])).toEqual({ referrer: null, source: null });
    expect(readReferrer('https://www.shop.test/cart', 'shop.test', [])).toEqual({ referrer: null, source: null });
    expect(readReferrer('https://shop.test/cart', 'www.shop.test', [])).toEqual({ referrer: null, source: null });
    expect(readReferrer('https://docs.shop.test/', 'shop.test', ['shop.test', '*.shop.test'])).toEqual({ referrer: null, source: null });
    expect(readReferrer('https://shop.test/', null, ['shop.test'])).toEqual({ referrer: null, source: null });
    expect(readReferrer('https://www.shop.test/', null, ['shop.test'])).toEqual({ referrer: null, source: null });
    expect(readReferrer('https://shop.test/', null, ['www.shop.test'])).toEqual({ referrer: null, source: null });
    expect(readReferrer('https://shop.test:8443/', null, ['shop.test'])).toEqual({ referrer: null, source: null });
  });

  it("still counts a site's sibling domain as a source when the site does not list it", () => {
    expect(readReferrer('https://docs.shop.test/', 'shop.test', []).source).toBe('docs.shop.test');
  });

  it('ignores what is not a URL', () => {
    expect(readReferrer('not a url', 'shop.test', [])).toEqual({ referrer: null, source: null });
    expect(readReferrer('', 'shop.test', [])).toEqual({ referrer: null, source: null });
    expect(readReferrer(null, 'shop.test', [])).toEqual({ referrer: null, source: null });
  });

  it('keeps an app referrer by its scheme and host', () => {
    expect(readReferrer('android-app://com.google.android.gm/', 'shop.test', [])).toEqual({
      referrer: 'android-app://com.google.android.gm',
      source: 'com.google.android.gm',
    });
  });
});
