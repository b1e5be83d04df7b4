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
