import { describe, expect, it } from 'vitest';
import { parseTrustProxy, resolveClientIp } from './client-ip.ts';

const headers = (h: Record<string, string>) => (name: string) => h[name];

describe('parseTrustProxy', () => {
  it.each([
    [undefined, { kind: 'none' }],
    ['', { kind: 'none' }],
    ['false', { kind: 'none' }],
    ['0', { kind: 'none' }],
    ['true', { kind: 'hops', hops: 1 }],
    ['2', { kind: 'hops', hops: 2 }],
    ['X-Forwarded-For', { kind: 'hops', hops: 1 }],
    ['CF-Connecting-IP', { kind: 'header', header: 'cf-connecting-ip' }],
  ])('reads %s', (value, trust) => {
    expect(parseTrustProxy(value)).toEqual(trust);
  });

  it('refuses what it cannot read', () => {
    expect(() => parseTrustProxy('x forwarded')).toThrow(/not false, true/);
    expect(() => parseTrustProxy('99')).toThrow(/more than any real chain/);
  });
});

describe('resolveClientIp', () => {
  const xff = headers({ 'x-forwarded-for': '203.0.113.1, 198.51.100.2, 192.0.2.3' });

  it('takes the socket address and ignores X-Forwarded-For unless told to trust a proxy', () => {
    expect(resolveClientIp({ kind: 'none' }, '10.0.0.1', xff)).toBe('10.0.0.1');
  });

  it('counts trusted proxies from the end of X-Forwarded-For, so a client cannot forge its address', () => {
    expect(resolveClientIp({ kind: 'hops', hops: 1 }, '10.0.0.1', xff)).toBe('192.0.2.3');
    expect(resolveClientIp({ kind: 'hops', hops: 2 }, '10.0.0.1', xff)).toBe('198.51.100.2');
    expect(resolveClientIp({ kind: 'hops', hops: 5 }, '10.0.0.1', xff)).toBe('203.0.113.1');
    expect(resolveClientIp({ kind: 'hops', hops: 1 }, '10.0.0.1', headers({}))).toBe('10.0.0.1');
  });

  it('reads a named header whole', () => {
    expect(
      resolveClientIp({ kind: 'header', header: 'cf-connecting-ip' }, '10.0.0.1', headers({ 'cf-connecting-ip': '2001:db8::7' })),
    ).toBe('2001:db8::7');
  });

  it('falls back to the socket when the forwarded value is not an address', () => {
    expect(resolveClientIp({ kind: 'hops', hops: 1 }, '10.0.0.1', headers({ 'x-forwarded-for': 'unknown' }))).toBe('10.0.0.1');
    expect(resolveClientIp({ kind: 'header', header: 'x-real-ip' }, '10.0.0.1', headers({ 'x-real-ip': '<script>' }))).toBe('10.0.0.1');
  });
});
