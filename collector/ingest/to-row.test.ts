import { describe, expect, it } from 'vitest';
import { classifyEvent, locatePage } from './to-row.ts';

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
