import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { NAME, readTarget, redirectTarget } from './input.ts';

// Whatever a client sends as a target or a code, what is stored and sent as
// Location is an absolute http(s) URL of printable characters, or nothing.

const tricky = fc.oneof(
  fc.string(),
  fc.string({ unit: 'binary' }),
  fc.webUrl(),
  fc
    .tuple(
      fc.constantFrom('http://', 'https://', '//', '/\\', 'javascript:', 'JAVASCRIPT:', ' https://', 'https:\\\\', 'http:/', 'data:'),
      fc.string(),
    )
    .map(([a, b]) => a + b),
);

describe('targets', () => {
  it('are absolute http(s) URLs without credentials or control characters, or refused', () => {
    fc.assert(
      fc.property(tricky, (text) => {
        const read = readTarget(text);
        if ('reason' in read) return;
        const url = new URL(read.url);
        expect(['http:', 'https:']).toContain(url.protocol);
        expect(url.hostname).not.toBe('');
        expect(url.username + url.password).toBe('');
        expect(read.url).toMatch(/^[\x21-\x7e]+$/);
      }),
      { numRuns: 2000 },
    );
  });

  it('keep their host when UTM parameters of any text are added', () => {
    const utm = fc.record({ source: fc.string({ minLength: 1 }), campaign: fc.string({ minLength: 1 }) }, { requiredKeys: [] });
    fc.assert(
      fc.property(fc.webUrl({ withQueryParameters: true, withFragments: true }), utm, (target, tags) => {
        const read = readTarget(target);
        if ('reason' in read) return;
        const location = redirectTarget(read.url, tags);
        expect(new URL(location).host).toBe(new URL(read.url).host);
        expect(location).toMatch(/^[\x21-\x7e]+$/);
      }),
      { numRuns: 1000 },
    );
  });
});

describe('codes', () => {
  it('are URL-safe as they are, so that a path, a page or a header holds them unchanged', () => {
    const code = fc.oneof(fc.string({ unit: 'binary', maxLength: 70 }), fc.stringMatching(/^[A-Za-z0-9_-]{1,64}$/));
    fc.assert(
      fc.property(code, (text) => {
        if (!NAME.test(text)) return;
        expect(encodeURIComponent(text)).toBe(text);
        expect(new URL(`/l/${text}`, 'http://collector.example').pathname).toBe(`/l/${text}`);
      }),
      { numRuns: 2000 },
    );
  });

  it.each(['a\r\nLocation: x', 'a%0d', '../x', 'a/b', 'a\\b', 'javascript:x', '', 'x'.repeat(65), 'é'])('refuse %j', (text) => {
    expect(NAME.test(text)).toBe(false);
  });
});
