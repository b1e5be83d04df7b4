import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { NO_CREDENTIALS } from '../collector/access/index.ts';
import { parseSites } from '../collector/sites.ts';
import { statsRoutes } from '../collector/stats/routes.ts';
import { openSqliteStore } from '../collector/store/sqlite/store.ts';
import type { Store } from '../collector/store/store.ts';
import { GENERATED_SITES, generateEvents } from './generate-events.ts';
import { formatGoalTimings, timeGoals } from './goals.ts';
import type { Report } from './support/report.ts';
import { percentile } from './support/stats.ts';

/** The day the generated data ends, and the stats are read as of: fixed, so runs compare. */
export const DATASET_END = '2026-11-23';
export const PRESETS = ['day', '7d', '30d', 'month', '6mo', '12mo'] as const;
export type Preset = (typeof PRESETS)[number];

const zones = new Map(GENERATED_SITES.map((s) => [s.id, s.timeZone]));
const timeZoneOf = (id: string) => zones.get(id) ?? 'UTC';

/**
 * Writes a realistic data set through the store, as the writer would (visits
 * placed, rollups built), into a fresh SQLite file. Returns events per second.
 */
export async function generateDataset(
  path: string,
  options: { events: number; days: number; end?: string; progress?: (written: number, perSecond: number) => void },
): Promise<{ written: number; seconds: number }> {
  for (const suffix of ['', '-wal', '-shm']) if (existsSync(path + suffix)) rmSync(path + suffix);
  const store = await openSqliteStore(path, { timeZoneOf, rollUpAfterEvents: 200_000, rollUpAfterMs: Infinity });
  const started = performance.now();
  let written = 0;
  let reported = started;
  for (const day of generateEvents({ events: options.events, days: options.days, endDay: options.end ?? DATASET_END })) {
    for (let i = 0; i < day.length; i += 5000) {
      const part = day.slice(i, i + 5000);
      await store.insertEvents(part);
      written += part.length;
    }
    if (options.progress && performance.now() - reported > 10_000) {
      reported = performance.now();
      options.progress(written, written / ((reported - started) / 1000));
    }
  }
  await store.rollUp();
  await store.close();
  return { written, seconds: (performance.now() - started) / 1000 };
}

type Request = [path: string, init?: RequestInit];

/** Every read endpoint, as the dashboard asks it, for the dominant site over a preset range. */
function endpoints(site: string, end: string): [string, (preset: Preset) => Request][] {
  const range = (p: Preset) => `site_id=${site}&period=${p}&date=${end}`;
  const back: Record<Preset, number> = { day: 0, '7d': 6, '30d': 29, month: 30, '6mo': 182, '12mo': 364 };
  return [
    ['stats', (p) => [`/stats?${range(p)}`]],
    ['stats compare', (p) => [`/stats?${range(p)}&compare=previous_period`]],
    ['timeseries', (p) => [`/stats/timeseries?${range(p)}`]],
    ['breakdown page', (p) => [`/stats/breakdown?${range(p)}&by=page`]],
    ['breakdown source', (p) => [`/stats/breakdown?${range(p)}&by=source`]],
    ['breakdown country', (p) => [`/stats/breakdown?${range(p)}&by=country`]],
    ['breakdown city', (p) => [`/stats/breakdown?${range(p)}&by=city`]],
    ['breakdown browser', (p) => [`/stats/breakdown?${range(p)}&by=browser`]],
    ['breakdown event', (p) => [`/stats/breakdown?${range(p)}&by=event`]],
    ['breakdown link', (p) => [`/stats/breakdown?${range(p)}&by=link`]],
    ['timeseries source==Google', (p) => [`/stats/timeseries?${range(p)}&filters=source==Google`]],
    [
      'report by month',
      (p) => {
        const from = new Date(Date.parse(`${end}T00:00:00Z`) - back[p] * 86_400_000).toISOString().slice(0, 10);
        const body = {
          site_id: site,
          start_date: from,
          end_date: end,
          metrics: ['visitors', 'visits', 'pageviews', 'bounce_rate'],
          group_by: 'month',
        };
        return ['/reports', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }];
      },
    ],
  ];
}

export interface Timing {
  readonly endpoint: string;
  /** null for realtime, which takes no range. */
  readonly preset: Preset | null;
  readonly rollups: boolean;
  readonly p50: number;
  readonly p95: number;
  readonly runs: number;
}

/**
 * Times each endpoint and preset through the stats routes in this process
 * (`app.request`: no HTTP, no network), the first answer of each untimed (it
 * warms SQLite's page cache), with rollups or from raw events and visits alone.
 */
export async function timeStats(
  store: Store,
  options: { rollups: boolean; runs: number; presets: readonly Preset[]; end?: string },
): Promise<Timing[]> {
  const end = options.end ?? DATASET_END;
  const site = GENERATED_SITES[0]!.id;
  const sites = parseSites(GENERATED_SITES.map((s) => `${s.id};tz=${s.timeZone}`).join(','), 'UTC');
  const app = statsRoutes({
    store,
    sites,
    access: { credentials: NO_CREDENTIALS, sites },
    now: () => Date.parse(`${end}T18:00:00Z`),
    useRollups: options.rollups,
  });
  const measure = async (endpoint: string, preset: Preset | null, [path, init]: Request): Promise<Timing> => {
    const ms: number[] = [];
    for (let i = 0; i <= options.runs; i++) {
      const t0 = performance.now();
      const res = await app.request(path, init);
      await res.text();
      if (res.status !== 200) throw new Error(`${path}: ${res.status}`);
      if (i > 0) ms.push(performance.now() - t0);
    }
    return { endpoint, preset, rollups: options.rollups, p50: percentile(ms, 50), p95: percentile(ms, 95), runs: options.runs };
  };
  const timings = [await measure('realtime', null, [`/stats/realtime?site_id=${site}`])];
  for (const [endpoint, request] of endpoints(site, end)) {
    for (const preset of options.presets) timings.push(await measure(endpoint, preset, request(preset)));
  }
  return timings;
}

/** The timings as a grid: an endpoint a line, `p50 / p95` per preset. */
export function formatTimings(timings: readonly Timing[]): string {
  const presets = PRESETS.filter((p) => timings.some((t) => t.preset === p));
  const names = [...new Set(timings.map((t) => t.endpoint))];
  const cell = (t: Timing | undefined) => (t ? `${t.p50.toFixed(1)} / ${t.p95.toFixed(1)}` : '–');
  const lines = names.map((name) => {
    const of = timings.filter((t) => t.endpoint === name);
    return name === 'realtime'
      ? [name, cell(of[0]), ...presets.slice(1).map(() => '')]
      : [name, ...presets.map((p) => cell(of.find((t) => t.preset === p)))];
  });
  const header = ['endpoint', ...presets];
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i]!.length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => c.padEnd(widths[i]!))
      .join('  ')
      .trimEnd();
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...lines.map(line)].join('\n');
}

export interface StatsAtScaleOptions {
  readonly events: number;
  readonly days: number;
  readonly runs: number;
  /** Runs and presets timed from raw events alone (slow at 10M over a year: fewer). */
  readonly rawRuns: number;
  readonly rawPresets: readonly Preset[];
}

/**
 * 5. Generates `events` over `days` (several sites, one dominant) straight
 * into a store, then times every stats endpoint and preset over repeats,
 * with rollups and without. Goal: every p50 ≤ 50 ms at 10M events.
 */
export async function benchStatsAtScale(report: Report, options: StatsAtScaleOptions): Promise<{ rollups: Timing[]; raw: Timing[] }> {
  const dir = mkdtempSync(join(tmpdir(), 'footfall-bench-stats-'));
  try {
    const path = join(dir, 'stats.db');
    const generated = await generateDataset(path, {
      events: options.events,
      days: options.days,
      progress: (written, rate) =>
        process.stderr.write(`  generated ${written.toLocaleString('en-US')} events (${Math.round(rate).toLocaleString('en-US')}/s)\n`),
    });
    const store = await openSqliteStore(path, { timeZoneOf });
    const rollups = await timeStats(store, { rollups: true, runs: options.runs, presets: PRESETS });
    const raw = await timeStats(store, { rollups: false, runs: options.rawRuns, presets: options.rawPresets });
    const goals = await timeGoals(store, { runs: options.runs, end: DATASET_END });
    await store.close();

    const size =
      generated.written >= 1e6
        ? `${(generated.written / 1e6).toLocaleString('en-US', { maximumFractionDigits: 1 })}M events`
        : `${Math.round(generated.written / 1e3)}k events`;
    report.figures.push({
      section: `stats ${size}`,
      name: 'generated (store + rollups)',
      value: generated.written / generated.seconds,
      unit: 'ev/s',
      note:
        `${generated.written.toLocaleString('en-US')} events over ${options.days} days, 3 sites (72% / 20% / 8%), visits of realistic length, written through the store with rollups; ` +
        `read as of ${DATASET_END} for the dominant site, in process (app.request); p50 over ${options.runs} runs with rollups (each endpoint's slowest preset), ` +
        `beside raw events and visits alone over the longest preset timed that way (${options.rawRuns} runs; ${options.rawPresets.join(', ')} only); ratio = raw / rollups at that preset`,
    });
    // Beside each endpoint's slowest preset, how much slower the raw rows answer the longest range they were timed over.
    const longestRaw = [...options.rawPresets].sort((a, b) => PRESETS.indexOf(b) - PRESETS.indexOf(a))[0];
    for (const endpoint of [...new Set(rollups.map((t) => t.endpoint))]) {
      const of = rollups.filter((t) => t.endpoint === endpoint);
      const slowest = of.reduce((a, b) => (b.p50 > a.p50 ? b : a));
      const rawAt = slowest.preset === null ? undefined : raw.find((t) => t.endpoint === endpoint && t.preset === longestRaw);
      const rollupAt = of.find((t) => t.preset === rawAt?.preset);
      report.figures.push({
        section: `stats ${size}`,
        name: `${endpoint} p50${slowest.preset ? ` (slowest: ${slowest.preset})` : ''}`,
        value: slowest.p50,
        unit: 'ms',
        baseline: rawAt ? { name: `raw rows, ${rawAt.preset}`, value: rawAt.p50 } : undefined,
        ratio: rawAt && rollupAt ? rawAt.p50 / rollupAt.p50 : undefined,
        goal: '≤ 50 ms at 10M',
        met: slowest.p50 <= 50,
      });
    }
    for (const t of goals)
      report.figures.push({
        section: `stats ${size}`,
        name: `${t.endpoint} p50`,
        value: t.p50,
        unit: 'ms',
        baseline: { name: 'the first answer', value: t.first },
        ratio: t.first / t.p50,
        goal: '< 300 ms at 10M',
        met: t.p50 < 300,
      });
    report.tables.push(
      { title: `goals, funnels and journeys at ${size}: p50 / p95 ms (first answer)`, text: formatGoalTimings(goals) },
      { title: `stats at ${size}, with rollups: p50 / p95 ms`, text: formatTimings(rollups) },
      { title: `stats at ${size}, raw events and visits only: p50 / p95 ms`, text: formatTimings(raw) },
    );
    report.details[`stats ${size}`] = { generated, rollups, raw, goals };
    return { rollups, raw };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
