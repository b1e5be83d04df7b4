import { parseArgs } from 'node:util';
import { parseSites } from '../collector/sites.ts';
import { openSqliteStore } from '../collector/store/sqlite.ts';
import { statsRoutes } from '../collector/stats/routes.ts';
import { GENERATED_SITES } from './generate-events.ts';

// Times the read API over a generated data set (bench/generate.ts), per
// endpoint and preset, with rollups and from raw rows alone:
//   tsx bench/stats.ts --db data/bench-1m.db [--runs 9] [--raw-runs 3] [--no-raw] [--raw-presets day,7d]

const { values } = parseArgs({
  options: {
    db: { type: 'string', default: 'data/bench.db' },
    runs: { type: 'string', default: '9' },
    'raw-runs': { type: 'string', default: '3' },
    'no-raw': { type: 'boolean', default: false },
    'raw-presets': { type: 'string', default: 'day,7d,30d,month,6mo,12mo' },
    end: { type: 'string', default: '2026-11-23' },
  },
});

const sites = parseSites(GENERATED_SITES.map((s) => `${s.id};tz=${s.timeZone}`).join(','), 'UTC');
const site = GENERATED_SITES[0]!.id;
const now = () => Date.parse(`${values.end}T18:00:00Z`);
const store = await openSqliteStore(values.db, { timeZoneOf: (id) => sites.get(id)?.timeZone ?? 'UTC' });
const events = await store.db.selectFrom('events').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
console.log(`${values.db}: ${events.n} events; site ${site}; anchor ${values.end}`);

const presets = ['day', '7d', '30d', 'month', '6mo', '12mo'];
const endpoints: [string, (period: string) => [string, RequestInit?]][] = [
  ['stats', (p) => [`/stats?site_id=${site}&period=${p}&date=${values.end}`]],
  ['stats compare', (p) => [`/stats?site_id=${site}&period=${p}&date=${values.end}&compare=previous_period`]],
  ['timeseries', (p) => [`/stats/timeseries?site_id=${site}&period=${p}&date=${values.end}`]],
  ['breakdown page', (p) => [`/stats/breakdown?site_id=${site}&by=page&period=${p}&date=${values.end}`]],
  ['breakdown source', (p) => [`/stats/breakdown?site_id=${site}&by=source&period=${p}&date=${values.end}`]],
  ['breakdown city', (p) => [`/stats/breakdown?site_id=${site}&by=city&period=${p}&date=${values.end}`]],
  ['breakdown event', (p) => [`/stats/breakdown?site_id=${site}&by=event&period=${p}&date=${values.end}`]],
  ['breakdown link', (p) => [`/stats/breakdown?site_id=${site}&by=link&period=${p}&date=${values.end}`]],
  ['timeseries source==Google', (p) => [`/stats/timeseries?site_id=${site}&period=${p}&date=${values.end}&filters=source==Google`]],
  ['report by month', (p) => {
    const to = values.end;
    const from = new Date(Date.parse(`${to}T00:00:00Z`) - ({ day: 0, '7d': 6, '30d': 29, month: 30, '6mo': 182, '12mo': 364 } as Record<string, number>)[p]! * 86_400_000).toISOString().slice(0, 10);
    return ['/reports', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ site_id: site, start_date: from, end_date: to, metrics: ['visitors', 'visits', 'pageviews', 'bounce_rate'], group_by: 'month' }) }];
  }],
];

async function time(useRollups: boolean, runs: number, only: readonly string[]) {
  const app = statsRoutes({ store, sites, apiKeys: [], now, useRollups });
  const rows: string[] = [];
  const measure = async (label: string, path: string, init?: RequestInit) => {
    const ms: number[] = [];
    for (let i = 0; i <= runs; i++) {
      const t0 = performance.now();
      const res = await app.request(path, init);
      await res.text();
      if (res.status !== 200) throw new Error(`${path}: ${res.status}`);
      if (i > 0) ms.push(performance.now() - t0); // the first run warms caches
    }
    ms.sort((a, b) => a - b);
    const p50 = ms[Math.floor((ms.length - 1) / 2)]!;
    const p95 = ms[Math.min(ms.length - 1, Math.ceil(ms.length * 0.95) - 1)]!;
    return [label, p50, p95] as const;
  };
  const realtime = await measure('realtime', `/stats/realtime?site_id=${site}`);
  rows.push(`| realtime | ${realtime[1].toFixed(1)} / ${realtime[2].toFixed(1)} | ${presets.slice(1).map(() => '').join(' | ')} |`);
  for (const [label, request] of endpoints) {
    const cells: string[] = [];
    for (const preset of presets) {
      if (!only.includes(preset)) {
        cells.push('–');
        continue;
      }
      const [path, init] = request(preset);
      const [, p50, p95] = await measure(label, path, init);
      cells.push(`${p50.toFixed(1)} / ${p95.toFixed(1)}`);
    }
    rows.push(`| ${label} | ${cells.join(' | ')} |`);
  }
  console.log(`\n${useRollups ? 'with rollups' : 'raw events and visits only'} — p50 / p95 ms over ${runs} runs\n`);
  console.log(`| endpoint | ${presets.join(' | ')} |\n| --- | ${presets.map(() => '---').join(' | ')} |`);
  for (const row of rows) console.log(row);
}

await time(true, Number(values.runs), presets);
if (!values['no-raw']) await time(false, Number(values['raw-runs']), values['raw-presets'].split(','));
await store.close();
