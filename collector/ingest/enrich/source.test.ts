import { describe, expect, it } from 'vitest';
import { campaignSource, knownSource, readReferrer } from './source.ts';

describe('knownSource', () => {
  it.each([
    ['www.google.com', 'Google'],
    ['google.de', 'Google'],
    ['www.google.co.uk', 'Google'],
    ['news.google.com', 'Google News'],
    ['bing.com', 'Bing'],
    ['duckduckgo.com', 'DuckDuckGo'],
    ['t.co', 'X (Twitter)'],
    ['x.com', 'X (Twitter)'],
    ['l.facebook.com', 'Facebook'],
    ['m.facebook.com', 'Facebook'],
    ['www.linkedin.com', 'LinkedIn'],
    ['old.reddit.com', 'Reddit'],
    ['github.com', 'GitHub'],
    ['gist.github.com', 'GitHub'],
    ['news.ycombinator.com', 'Hacker News'],
    ['en.m.wikipedia.org', 'Wikipedia'],
    ['yandex.ru', 'Yandex'],
  ])('%s is %s', (host, name) => {
    expect(knownSource(host)).toBe(name);
  });

  it('knows nothing of other hosts, nor of look-alikes', () => {
    expect(knownSource('blog.example.com')).toBeNull();
    expect(knownSource('notgithub.com')).toBeNull();
    expect(knownSource('com')).toBeNull();
  });
});

describe('campaignSource', () => {
  it('names common spellings and hosts, and keeps the rest as given', () => {
    expect(campaignSource('twitter')).toBe('X (Twitter)');
    expect(campaignSource(' HN ')).toBe('Hacker News');
    expect(campaignSource('news.ycombinator.com')).toBe('Hacker News');
    expect(campaignSource('www.reddit.com')).toBe('Reddit');
    expect(campaignSource('spring-mailing')).toBe('spring-mailing');
  });
});

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

  it('still counts a site\'s sibling domain as a source when the site does not list it', () => {
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
