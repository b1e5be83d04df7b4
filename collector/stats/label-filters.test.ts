import { afterEach, expect, it } from 'vitest';
import { describeEachStore } from '../../testing/test-stores.ts';
import { createTestCollector, type TestCollector } from '../../testing/test-collector.ts';

// A filter matches what a user reads: a label Footfall derives (source,
// browser, OS, device, country) whatever its case, and a source by any name
// a campaign may give it; on rollups (one clause) and raw rows (several) alike.

const NOW = Date.parse('2026-11-23T12:00:00Z');
const IPHONE =
  'Mozilla/5.0 (iPhone; CPU iPhone OS 17_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.1 Mobile/15E148 Safari/604.1';

describeEachStore('filters on derived labels', (kind) => {
  let t: TestCollector;
  afterEach(() => t?.close());

  async function start() {
    t = await createTestCollector({ now: () => NOW, kind });
    const send = async (user: string, body: object, headers: Record<string, string> = {}) => {
      const res = await t.post(
        '/event',
        { site_id: 's1', event_type: 'pageview', user_id: user, timestamp: '2026-11-23T10:00:00Z', ...body },
        headers,
      );
      expect(res.status).toBe(202);
    };
    await send('u1', { url: 'https://s.test/a?utm_source=newsletter' });
    await send('u2', { url: 'https://s.test/a', referrer: 'https://www.google.com/search?q=x' });
    await send('u3', { url: 'https://s.test/b?utm_source=twitter' }, { 'user-agent': IPHONE });
    await send('u4', { url: 'https://s.test/b?utm_source=Spring-Promo' });
    await t.flush();
  }

  const visitors = async (filters: string) => {
    const res = await t.app.request(`/stats?site_id=s1&date=2026-11-23&filters=${encodeURIComponent(filters)}`);
    expect(res.status).toBe(200);
    return ((await res.json()) as { metrics: { visitors: number } }).metrics.visitors;
  };

  it('shows a campaign source by its name, and a filter finds it by what was sent or what is shown', async () => {
    await start();
    const sources = (await (await t.app.request('/stats/breakdown?site_id=s1&date=2026-11-23&by=source')).json()) as {
      results: { value: string }[];
    };
    expect(sources.results.map((r) => r.value)).toEqual(['Google', 'Newsletter', 'Spring-Promo', 'X (Twitter)']);
    for (const [filter, count] of [
      ['source==newsletter', 1],
      ['source==Newsletter', 1],
      ['source==NEWSLETTER', 1],
      ['source!=newsletter', 3],
      ['source==google', 1],
      ['source==google.com', 1],
      ['source==twitter', 1],
      ['source==x (twitter)', 1],
      ['source==Spring-Promo', 1],
      ['source==spring-promo', 1],
      ['source==promo', 0],
      // Several clauses are answered from raw rows, with the same matching.
      ['source==newsletter;page==/a', 1],
      ['source==google;page~/', 1],
      ['source!=twitter;page==/b', 1],
    ] as const)
      expect(await visitors(filter), filter).toBe(count);
    // Campaign tags themselves are as sent.
    expect(await visitors('utm_source==newsletter')).toBe(1);
    expect(await visitors('utm_source==Newsletter')).toBe(0);
  });

  it('matches browser, OS and device whatever the case, and each breakdown row is its own filter', async () => {
    await start();
    for (const [filter, count] of [
      ['browser==chrome', 3],
      ['browser==SAFARI', 1],
      ['os==windows', 3],
      ['os==ios', 1],
      ['device==mobile', 1],
      ['device==Desktop', 3],
      ['device==desktop;browser==chrome', 3],
      ['device!=MOBILE', 3],
    ] as const)
      expect(await visitors(filter), filter).toBe(count);
    for (const by of ['source', 'browser', 'os', 'device']) {
      const rows = (
        (await (await t.app.request(`/stats/breakdown?site_id=s1&date=2026-11-23&by=${by}`)).json()) as {
          results: { value: string; visitors: number }[];
        }
      ).results;
      for (const row of rows) expect(await visitors(`${by}==${row.value}`), `${by}==${row.value}`).toBe(row.visitors);
    }
  });

  it('finds a part whatever the case of the letters A to Z, and other letters as written, on either database', async () => {
    await start();
    const send = async (user: string, path: string) =>
      expect(
        (await t.post('/event', { site_id: 's1', event_type: 'pageview', user_id: user, path, timestamp: '2026-11-23T11:00:00Z' })).status,
      ).toBe(202);
    await send('u5', '/Straße/MÜNCHEN');
    await send('u6', '/strasse/münchen');
    await t.flush();
    for (const [filter, count] of [
      ['page~STRASSE', 1],
      ['page~straße', 1],
      ['page~STRAßE', 1],
      ['page~MÜNCHEN', 1],
      ['page~münchen', 1],
      ['page~mÜnchen', 1],
      ['page~Ünchen', 1],
      // An empty part is in every page and referrer; none contains nothing (one visitor came with a referrer).
      ['page~', 6],
      ['page~;referrer~', 1],
    ] as const)
      expect(await visitors(filter), filter).toBe(count);
  });
});
