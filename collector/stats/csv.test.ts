import { describe, expect, it } from 'vitest';
import { csvCell, csvRow, toCsv } from './csv.ts';

describe('csvCell', () => {
  it.each([
    ['=HYPERLINK("http://evil.test","x")', `"'=HYPERLINK(""http://evil.test"",""x"")"`],
    ["+1+cmd|' /C calc'!A0", `"'+1+cmd|' /C calc'!A0"`],
    ['-2+3', `"'-2+3"`],
    ['@SUM(A1:A9)', `"'@SUM(A1:A9)"`],
    ['\t=1+1', `"'\t=1+1"`],
    ['\r=1+1', `"'\r=1+1"`],
    ['  =1+1', `"'  =1+1"`],
    ['\n@cmd', `"'\n@cmd"`],
  ])('writes text a spreadsheet would run, %j, as text: quoted, after a single quote', (text, cell) => {
    expect(csvCell(text)).toBe(cell);
  });

  it('quotes every text cell, doubling its quotes, and leaves text that runs nothing as it was', () => {
    expect(csvCell('/pricing')).toBe('"/pricing"');
    expect(csvCell('a,b')).toBe('"a,b"');
    expect(csvCell('a;=1+1')).toBe('"a;=1+1"');
    expect(csvCell('say "hi"')).toBe('"say ""hi"""');
    expect(csvCell('Line\nbreak')).toBe('"Line\nbreak"');
    expect(csvCell('a=b')).toBe('"a=b"');
    expect(csvCell('')).toBe('""');
  });

  it('writes numbers as numbers, a negative one too (a refund is not a formula), and none as an empty cell', () => {
    expect(csvCell(42)).toBe('42');
    expect(csvCell(-19.99)).toBe('-19.99');
    expect(csvCell(0)).toBe('0');
    expect(csvCell(null)).toBe('');
    expect(csvCell(undefined)).toBe('');
    expect(csvCell(true)).toBe('"true"');
  });
});

describe('csvRow and toCsv', () => {
  it('end each row with CRLF and use one writer for header and rows', () => {
    expect(csvRow(['=x', -1, null])).toBe(`"'=x",-1,\r\n`);
    expect(toCsv([{ value: '=cmd', visitors: 3, revenue: { EUR: -5 } }])).toBe('"value","visitors","revenue_EUR"\r\n"\'=cmd",3,-5\r\n');
    expect(toCsv([], ['date', 'pageviews'])).toBe('"date","pageviews"\r\n');
  });
});
