import { describe, expect, it } from 'vitest';
import { campaignSource, knownSource } from './source-names.ts';

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
