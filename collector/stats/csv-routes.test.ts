import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestCollector, type TestCollector } from '../../testing/test-collector.ts';

// Every CSV the collector writes, with stored text a spreadsheet would run as a formula.

const NOW = Date.parse('2026-11-23T12:00:00Z');
const HOSTILE = ['=HYPERLINK("http://evil.test","x")', '+1+cmd', '-2+3', '@SUM(A1:A9)', '\t=1+1', '\r=1+1'];

/** The cells of a CSV text (RFC 4180), each with whether it was quoted. */
function cells(text: string): { text: string; quoted: boolean }[] {
  const found: { text: string; quoted: boolean }[] = [];
  let i = 0;
  while (i < text.length) {
    if (text[i] === '"') {
      let value = '';
      for (i++; i < text.length; i++) {
        if (text[i] === '"' && text[i + 1] === '"') {
          value += '"';
          i++;
        } else if (text[i] === '"') break;
        else value += text[i];
      }
      i++;
      found.push({ text: value, quoted: true });
    } else {
      const end = text.slice(i).search(/,|\r\n/);
      const value = end === -1 ? text.slice(i) : text.slice(i, i + end);
      i += value.length;
      found.push({ text: value, quoted: false });
    }
    if (text.startsWith('\r\n', i)) i += 2;
    else if (text[i] === ',') i++;
  }
  return found;
}

/** Cells a spreadsheet would read as a formula: text not led by `'` that starts with one, or an unquoted cell that is not a number. */
function formulas(text: string): string[] {
  return cells(text)
    .filter(({ text: cell, quoted }) => (quoted ? /^\s*[=+\-@]|^[\t\r]/.test(cell) : cell !== '' && !/^-?\d+(\.\d+)?$/.test(cell)))
    .map((c) => c.text);
}

describe('CSV answers', () => {
  let t: TestCollector;
  beforeEach(async () => {
    t = await createTestCollector({ now: () => NOW, env: { FOOTFALL_SITES: 'shop', FOOTFALL_API_KEYS: 'csv-test-key-0123456789' } });
    for (const [i, text] of HOSTILE.entries()) {
      const res = await t.post('/event', {
        site_id: 'shop',
        event_type: text,
        path: text,
        title: text,
        user_id: `u${i}`,
        timestamp: '2026-11-23T10:00:00Z',
        props: { [text]: text },
        revenue: { amount: -(i + 0.5), currency: 'EUR' },
      });
      expect(res.status).toBe(202);
    }
    await t.flush();
  });
  afterEach(() => t.close());

  const get = async (path: string, init: RequestInit = {}) => {
    const res = await t.app.request(path, { ...init, headers: { authorization: 'Bearer csv-test-key-0123456789', ...init.headers } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/csv/);
    return res.text();
  };
  const range = 'site_id=shop&date=2026-11-23';

  it.each([
    ['/stats/breakdown by page', `/stats/breakdown?${range}&by=page&format=csv`],
    ['/stats/breakdown by event, with revenue', `/stats/breakdown?${range}&by=event&format=csv`],
    ['/stats/breakdown by a property', `/stats/breakdown?${range}&by=${encodeURIComponent(`prop:${HOSTILE[0]}`)}&format=csv`],
    ['/stats/breakdown under a filter', `/stats/breakdown?${range}&by=page&filters=${encodeURIComponent('page~=')}&format=csv`],
    ['/stats/properties', `/stats/properties?${range}&format=csv`],
    ['/stats/timeseries', `/stats/timeseries?${range}&format=csv`],
    ['/export', '/export?site_id=shop&format=csv'],
  ])('%s writes stored text as text', async (_, path) => {
    const text = await get(path);
    expect(formulas(text)).toEqual([]);
    expect(cells(text).length).toBeGreaterThan(2);
  });

  it('shows each hostile value, led by a single quote, and negative revenue as a number', async () => {
    const pages = await get(`/stats/breakdown?${range}&by=page&format=csv`);
    expect(cells(pages).map((c) => c.text)).toEqual(expect.arrayContaining(HOSTILE.map((h) => `'${h}`)));
    const events = await get(`/stats/breakdown?${range}&by=event&format=csv`);
    expect(events).toContain(',-2.5\r\n');
    const exported = await get('/export?site_id=shop&format=csv');
    expect(exported).toContain(`"'=HYPERLINK(""http://evil.test"",""x"")"`);
    expect(exported).toContain(',-0.5,"EUR",');
  });

  it('POST /reports writes stored text as text', async () => {
    const text = await get('/reports?format=csv', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        site_id: 'shop',
        start_date: '2026-11-23',
        end_date: '2026-11-23',
        metrics: ['visitors', 'pageviews'],
        group_by: 'page',
      }),
    });
    expect(formulas(text)).toEqual([]);
    expect(cells(text).map((c) => c.text)).toEqual(expect.arrayContaining(HOSTILE.map((h) => `'${h}`)));
  });
});
