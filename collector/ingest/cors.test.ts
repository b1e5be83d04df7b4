import { describe, expect, it } from 'vitest';
import { parseSites } from '../sites.ts';
import { ingestCors } from './cors.ts';

describe('ingestCors', () => {
  it('allows any origin when no site lists domains', () => {
    const cors = ingestCors(parseSites(undefined, 'UTC'));
    expect(cors.preflight('https://anywhere.test')).toMatchObject({
      'Access-Control-Allow-Origin': '*',
      'Access-Control-Allow-Methods': 'POST',
    });
    expect(cors.forSite(parseSites('s', 'UTC').get('s')!, 'https://anywhere.test')).toEqual({ 'Access-Control-Allow-Origin': '*' });
  });

  it('allows only the listed domains of a site that lists them', () => {
    const sites = parseSites('shop;domains=shop.test|*.shop.test', 'UTC');
    const cors = ingestCors(sites);
    const shop = sites.get('shop')!;
    expect(cors.preflight('https://www.shop.test')).toMatchObject({
      'Access-Control-Allow-Origin': 'https://www.shop.test',
      Vary: 'Origin',
    });
    expect(cors.preflight('https://evil.test')).toBeNull();
    expect(cors.preflight(undefined)).toBeNull();
    expect(cors.forSite(shop, 'https://shop.test')).toEqual({ 'Access-Control-Allow-Origin': 'https://shop.test', Vary: 'Origin' });
    expect(cors.forSite(shop, 'https://evil.test')).toBeNull();
    expect(cors.forSite(shop, undefined)).toEqual({});
  });

  it('lets a refusal be read where a preflight would be answered, and nowhere else', () => {
    expect(ingestCors(parseSites(undefined, 'UTC')).refusal('https://anywhere.test')).toEqual({ 'Access-Control-Allow-Origin': '*' });
    expect(ingestCors(parseSites('shop, blog', 'UTC')).refusal('https://anywhere.test')).toEqual({ 'Access-Control-Allow-Origin': '*' });
    const listed = ingestCors(parseSites('shop;domains=shop.test', 'UTC'));
    expect(listed.refusal('https://shop.test')).toEqual({ 'Access-Control-Allow-Origin': 'https://shop.test', Vary: 'Origin' });
    expect(listed.refusal('https://evil.test')).toEqual({});
    expect(listed.refusal(undefined)).toEqual({});
  });

  it('answers preflights from anywhere when one listed site takes any origin', () => {
    const cors = ingestCors(parseSites('shop;domains=shop.test, blog', 'UTC'));
    expect(cors.preflight('https://elsewhere.test')).toMatchObject({ 'Access-Control-Allow-Origin': '*' });
  });
});
