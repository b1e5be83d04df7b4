import { afterAll, beforeAll, expect, it } from 'vitest';
import type { IncomingEvent } from '../store/schema.ts';
import { describeEachStore } from '../../testing/test-stores.ts';
import { createTestCollector, type TestCollector } from '../../testing/test-collector.ts';

// Ten weeks of steady traffic, then two weeks in which one day spikes, one
// source (Bing) grows tenfold, one (Reddit) appears, and Bing's visitors sign
// up more: each is found once, and every number of a finding is the answer of
// the read-API call the finding names.

const DAY = 86_400_000;
const NOW = Date.parse('2026-04-15T12:00:00Z');
const FIRST = Date.parse('2026-02-01T00:00:00Z');
const WEEKLY = [60, 64, 62, 58, 50, 30, 26];
const SPIKE = '2026-04-08';

interface Finding {
  kind: string;
  score: number;
  sentence: string;
  view: { filters: string; from: string; to: string };
  numbers: Record<string, unknown>;
  reproduce: string[];
}

describeEachStore('GET /stats/insights', (kind) => {
  let t: TestCollector;
  beforeAll(async () => {
    t = await createTestCollector({ now: () => NOW, kind, env: { FOOTFALL_SITES: 'shop;tz=Europe/Paris, steady' } });
    const rows: IncomingEvent[] = [];
    const add = (site: string, ts: number, visitor: string, source: string | null, signup: boolean) => {
      rows.push({ site_id: site, ts, type: 'pageview', name: 'pageview', visitor_id: visitor, path: '/', source });
      if (signup) rows.push({ site_id: site, ts: ts + 1000, type: 'custom', name: 'signup', visitor_id: visitor, path: '/', source });
    };
    for (let d = 0; FIRST + d * DAY < NOW - DAY / 2; d++) {
      const date = new Date(FIRST + d * DAY).toISOString().slice(0, 10);
      const recent = date >= '2026-04-01';
      const n = WEEKLY[d % 7]! * (date === SPIKE ? 5 : 1) + ((d * 7919) % 3);
      for (let i = 0; i < n; i++) {
        const ts = FIRST + d * DAY + 10 * 3_600_000 + i * 10_000;
        const source = i % 2 ? 'Google' : null;
        add('shop', ts, `d${d}v${i}`, source, i % 20 === 0);
      }
      // Bing: 2 a day, then 20; its visitors sign up one in four (Google's and direct: one in twenty).
      for (let i = 0; i < (recent ? 20 : 2); i++)
        add('shop', FIRST + d * DAY + 9 * 3_600_000 + i * 10_000, `d${d}b${i}`, 'Bing', i % 4 === 0);
      if (recent && d % 2) add('shop', FIRST + d * DAY + 8 * 3_600_000, `d${d}r`, 'Reddit', false);
      // The steady site: the same week, again and again.
      for (let i = 0; i < WEEKLY[d % 7]!; i++) add('steady', FIRST + d * DAY + 10 * 3_600_000 + i * 10_000, `d${d}v${i}`, 'Google', false);
    }
    await t.store.insertEvents(rows);
  });
  afterAll(() => t.close());

  const get = async <T>(path: string): Promise<T> => {
    const res = await t.app.request(path);
    expect(res.status, `${path}: ${await res.clone().text()}`).toBe(200);
    return (await res.json()) as T;
  };
  const read = (query: string) => get<{ findings: Finding[] }>(`/stats/insights?${query}`).then((a) => a.findings);

  it('finds the spike, the mover, the new source and the best converting source, ranked by kind', async () => {
    const findings = await read('site_id=shop&from=2026-04-01&to=2026-04-14');
    const kinds = findings.map((f) => f.kind);
    expect(kinds.filter((k) => k === 'spike' || k === 'drop').length).toBeGreaterThan(0);
    const spikes = findings.filter((f) => f.kind === 'spike');
    expect(spikes[0]!.numbers).toMatchObject({ metric: 'visitors', date: SPIKE });
    // One finding a day: its page views, as far out, are not a second.
    expect(new Set(spikes.map((f) => f.numbers.date)).size).toBe(spikes.length);
    expect(findings.filter((f) => f.kind === 'drop')).toEqual([]);
    const bing = findings.find((f) => f.kind === 'mover' && f.numbers.value === 'Bing');
    expect(bing?.sentence).toMatch(
      /^source Bing: 3\.8% → 22\.7% of all visitors \(28 → 280 visitors, \+900%\); two-proportion z-test z = 11\.24/,
    );
    expect(bing?.view).toEqual({ filters: 'source==Bing', from: '2026-04-01', to: '2026-04-14' });
    expect(findings.filter((f) => f.kind === 'new_referrer').map((f) => f.numbers.source)).toEqual(['Reddit']);
    const conversion = findings.find((f) => f.kind === 'conversion');
    expect(conversion?.sentence).toMatch(/^Visitors from Bing convert best to "signup": 25\.0% \(70 of 280;/);
    // Ranked: anomalies first, conversion last.
    expect(kinds.indexOf('spike')).toBe(0);
    expect(kinds.at(-1)).toBe('conversion');
  });

  it('gives numbers that the calls it names answer', async () => {
    const findings = await read('site_id=shop&from=2026-04-01&to=2026-04-14');
    const spike = findings.find((f) => f.kind === 'spike' && f.numbers.date === SPIKE && f.numbers.metric === 'visitors')!;
    const series = await get<{ results: { date: string; visitors: number }[] }>(spike.reproduce[0]!);
    expect(series.results).toEqual([expect.objectContaining({ date: SPIKE, visitors: spike.numbers.value })]);
    const forecast = await get<{ results: { date: string; value: number; lower_95: number; upper_95: number }[] }>(spike.reproduce[1]!);
    expect(forecast.results.find((r) => r.date === SPIKE)).toMatchObject({
      value: spike.numbers.expected,
      lower_95: spike.numbers.lower_95,
      upper_95: spike.numbers.upper_95,
    });

    const bing = findings.find((f) => f.kind === 'mover' && f.numbers.value === 'Bing')!;
    const [now, before, summary] = await Promise.all([
      get<{ results: { value: string; visitors: number }[] }>(bing.reproduce[0]!),
      get<{ results: { value: string; visitors: number }[] }>(bing.reproduce[1]!),
      get<{ metrics: { visitors: number }; comparison: { metrics: { visitors: number } } }>(bing.reproduce[2]!),
    ]);
    expect(now.results.find((r) => r.value === 'Bing')?.visitors).toBe(bing.numbers.visitors);
    expect(before.results.find((r) => r.value === 'Bing')?.visitors).toBe(bing.numbers.previous_visitors);
    expect(summary.metrics.visitors).toBe(bing.numbers.total);
    expect(summary.comparison.metrics.visitors).toBe(bing.numbers.previous_total);

    const conversion = findings.find((f) => f.kind === 'conversion')!;
    const [all, converted] = await Promise.all([
      get<{ results: { value: string | null; visitors: number }[] }>(conversion.reproduce[0]!),
      get<{ results: { value: string | null; visitors: number }[] }>(conversion.reproduce[1]!),
    ]);
    for (const row of conversion.numbers.sources as { source: string | null; visitors: number; converted: number }[]) {
      expect(all.results.find((r) => r.value === row.source)?.visitors).toBe(row.visitors);
      expect(converted.results.find((r) => r.value === row.source)?.visitors ?? 0).toBe(row.converted);
    }
  });

  it('finds nothing in steady traffic: an empty list', async () => {
    expect(await read('site_id=steady&from=2026-04-01&to=2026-04-14')).toEqual([]);
  });

  it('looks only under the filters asked for', async () => {
    const findings = await read('site_id=shop&from=2026-04-01&to=2026-04-14&filters=source==Google');
    expect(findings.some((f) => f.kind === 'new_referrer' || f.numbers.value === 'Bing')).toBe(false);
    expect(findings.filter((f) => f.kind === 'spike').map((f) => f.numbers.date)).toContain(SPIKE);
    for (const f of findings) expect(f.view.filters.startsWith('source==Google')).toBe(true);
  });
});
