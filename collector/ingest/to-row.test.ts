import { describe, expect, it } from 'vitest';
import { classifyEvent, locatePage, type RequestFacts, toEventRow } from './to-row.ts';

describe('classifyEvent', () => {
  it.each([
    ['pageview', 'pageview', 'pageview'],
    ['page_view', 'pageview', 'pageview'],
    ['click', 'click', 'click'],
    ['engagement', 'engagement', 'engagement'],
    ['Signup', 'custom', 'Signup'],
  ])('%s is a %s named %s', (input, type, name) => {
    expect(classifyEvent(input)).toEqual({ type, name });
  });
});

describe('locatePage', () => {
  it('takes the path from the URL without query or fragment', () => {
    expect(locatePage(undefined, 'https://shop.test/a/b?utm_source=x#y')).toEqual({ path: '/a/b', hostname: 'shop.test' });
  });
  it('prefers an explicit path, trimmed of its query but not of a hash route', () => {
    expect(locatePage('/x?y=1', 'https://shop.test/a')).toEqual({ path: '/x', hostname: 'shop.test' });
    expect(locatePage('?only=query', null)).toEqual({ path: '/', hostname: null });
    expect(locatePage('/#/settings', null)).toEqual({ path: '/#/settings', hostname: null });
    expect(locatePage('/app?tab=2#/inbox', null)).toEqual({ path: '/app#/inbox', hostname: null });
  });
  it('survives a URL that does not parse', () => {
    expect(locatePage(null, 'not a url')).toEqual({ path: null, hostname: null });
  });
});

describe('toEventRow', () => {
  const visitor = { visitorId: 'v1', previousVisitorId: null };
  const request: RequestFacts = {
    userAgent: { browser: 'Firefox', browser_version: '125', os: 'Ubuntu', device: 'Desktop' },
    geo: { country: 'DE', region: 'Bavaria', city: 'Munich' },
    siteDomains: [],
  };

  it('fills every enrichment column from the event and its request', () => {
    const row = toEventRow(
      's1',
      {
        event_type: 'pageview',
        url: 'https://shop.test/p?utm_source=newsletter&utm_medium=email&utm_campaign=spring',
        referrer: 'https://www.google.com/search?q=x',
      },
      1000,
      visitor,
      request,
    );
    expect(row).toMatchObject({
      site_id: 's1',
      ts: 1000,
      type: 'pageview',
      path: '/p',
      hostname: 'shop.test',
      referrer: 'https://www.google.com/search',
      source: 'Newsletter',
      utm_source: 'newsletter',
      utm_medium: 'email',
      utm_campaign: 'spring',
      utm_term: null,
      utm_content: null,
      browser: 'Firefox',
      browser_version: '125',
      os: 'Ubuntu',
      device: 'Desktop',
      country: 'DE',
      region: 'Bavaria',
      city: 'Munich',
    });
  });

  it('takes the source from ref first, then utm_source, then the referrer', () => {
    const source = (url: string, referrer: string | null) =>
      toEventRow('s1', { event_type: 'pageview', url, referrer }, 0, visitor, request).source;
    expect(source('https://shop.test/?ref=producthunt&utm_source=x', 'https://t.co/abc')).toBe('producthunt');
    expect(source('https://shop.test/?utm_source=twitter', 'https://t.co/abc')).toBe('X (Twitter)');
    expect(source('https://shop.test/', 'https://t.co/abc')).toBe('X (Twitter)');
    expect(source('https://shop.test/', 'https://shop.test/other')).toBeNull();
    expect(source('https://shop.test/', null)).toBeNull();
  });

  it('reads campaign parameters from a path when no URL is sent', () => {
    const row = toEventRow('s1', { event_type: 'page_view', path: '/a?utm_campaign=launch' }, 0, visitor, request);
    expect(row).toMatchObject({ path: '/a', utm_campaign: 'launch', source: null });
  });
});
