import { describe, expect, it } from 'vitest';
import { compareValues, storableText } from './storable-text.ts';

/** Byte order of the texts' UTF-8, as SQLite and PostgreSQL's C collation compare them. */
const byteOrder = (a: string, b: string) => Math.sign(Buffer.compare(Buffer.from(a), Buffer.from(b)));

describe('compareValues', () => {
  it('orders none first, then by UTF-8 bytes', () => {
    expect(compareValues(null, null)).toBe(0);
    expect(compareValues(null, '')).toBe(-1);
    expect(compareValues('a', null)).toBe(1);
    expect(compareValues('', 'a')).toBe(-1);
    expect(compareValues('ab', 'a')).toBe(1);
    expect(compareValues('B', 'a')).toBe(-1);
  });

  it('puts a character beyond U+FFFF after those of U+E000 to U+FFFF, as its UTF-8 does (not its UTF-16)', () => {
    expect(compareValues('x😀', 'x\uFFFD')).toBe(1);
    expect(compareValues('\uE000', '😀')).toBe(-1);
    expect(compareValues('😀', '😁')).toBe(-1);
  });

  it('agrees with the UTF-8 bytes on texts of ASCII, other letters, pairs and lone halves of pairs', () => {
    const seed = 20261210;
    let state = seed;
    const next = () => {
      state = (state * 1103515245 + 12345) % 2 ** 31;
      return state / 2 ** 31;
    };
    const units = [
      'a',
      'b',
      'z',
      'A',
      'é',
      'ü',
      '\u07FF',
      '\u0800',
      '\uD7FF',
      '\uE000',
      '\uFFFD',
      '\uFFFF',
      '😀',
      '😁',
      '\uD83D',
      '\uDE00',
      '\0',
    ];
    const text = () => Array.from({ length: Math.floor(next() * 4) }, () => units[Math.floor(next() * units.length)]!).join('');
    for (let i = 0; i < 20_000; i++) {
      const a = text();
      const b = next() < 0.3 ? a + text() : text();
      expect(Math.sign(compareValues(a, b)), `seed ${seed}: ${JSON.stringify([a, b])}`).toBe(byteOrder(a, b));
      expect(Math.sign(compareValues(b, a)), `seed ${seed}: ${JSON.stringify([b, a])}`).toBe(byteOrder(b, a));
    }
  });
});

describe('storableText', () => {
  it('reads lone halves of pairs and U+0000 as U+FFFD, and keeps other text as it is', () => {
    expect(storableText('a\uD800b\0')).toBe('a\uFFFDb\uFFFD');
    expect(storableText('😀 é')).toBe('😀 é');
  });
});
