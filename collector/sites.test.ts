import { describe, expect, it } from 'vitest';
import { originAllowed, parseSites } from './sites.ts';

describe('originAllowed', () => {
  const { list } = parseSites('shop;domains=shop.example|*.cdn.example|localhost:8001, open', 'UTC');
  const [shop, open] = list as [NonNullable<(typeof list)[0]>, NonNullable<(typeof list)[0]>];

  it('lets a site with no domains be posted to from anywhere', () => {
    expect(originAllowed(open, 'https://anything.test')).toBe(true);
    expect(originAllowed(open, undefined)).toBe(true);
  });

  it('matches listed hosts, wildcard subdomains and ports', () => {
    expect(originAllowed(shop, 'https://shop.example')).toBe(true);
    expect(originAllowed(shop, 'https://www.shop.example')).toBe(false);
    expect(originAllowed(shop, 'https://a.cdn.example')).toBe(true);
    expect(originAllowed(shop, 'https://cdn.example')).toBe(true);
    expect(originAllowed(shop, 'https://evilcdn.example')).toBe(false);
    expect(originAllowed(shop, 'http://localhost:8001')).toBe(true);
    expect(originAllowed(shop, 'http://localhost:9999')).toBe(false);
    expect(originAllowed(shop, 'null')).toBe(false);
    expect(originAllowed(shop, undefined)).toBe(false);
  });
});

describe("other tools' names for a site", () => {
  const WEBSITE = '7c1e2b5a-3d4f-4a6b-9c8d-0e1f2a3b4c5d';

  it('finds a site by its plausible= domains (several, www. stripped) and its umami= website id', () => {
    const sites = parseSites(`shop;plausible=www.Shop.example|old.example;plausible=third.example;umami=${WEBSITE.toUpperCase()}`, 'UTC');
    for (const domain of ['shop.example', 'old.example', 'third.example']) expect(sites.byPlausibleDomain(domain)?.id).toBe('shop');
    expect(sites.byUmamiWebsite(WEBSITE)?.id).toBe('shop');
    expect(sites.byPlausibleDomain('other.example')).toBeUndefined();
    expect(sites.byUmamiWebsite('00000000-0000-4000-8000-000000000000')).toBeUndefined();
  });

  it("takes a site's own exact domains for Plausible when it names none", () => {
    const sites = parseSites('blog;domains=www.blog.example|*.cdn.example|blog.example:8080', 'UTC');
    expect(sites.byPlausibleDomain('blog.example')?.id).toBe('blog');
    expect(sites.byPlausibleDomain('cdn.example')).toBeUndefined();
  });

  it('on an unrestricted collector, names a site by the domain or the website id itself', () => {
    const sites = parseSites(undefined, 'UTC');
    expect(sites.byPlausibleDomain('shop.example')?.id).toBe('shop.example');
    expect(sites.byUmamiWebsite(WEBSITE)?.id).toBe(WEBSITE);
  });

  it.each([
    ['a plausible= that is no domain', 'shop;plausible=not a domain', /"not a domain" is not a domain for plausible=/],
    ['a wildcard plausible=', 'shop;plausible=*.shop.example', /is not a domain for plausible=/],
    ['an umami= that is no UUID', 'shop;umami=shop', /"shop" is not an Umami website id/],
    [
      'one domain for two sites',
      'a;plausible=x.example, b;domains=x.example',
      /Plausible domain "x.example" names both site "a" and site "b"/,
    ],
    ['one website for two sites', `a;umami=${WEBSITE}, b;umami=${WEBSITE}`, /names both site "a" and site "b"/],
  ])('refuses %s', (_name, value, message) => {
    expect(() => parseSites(value, 'UTC')).toThrow(message);
  });
});
