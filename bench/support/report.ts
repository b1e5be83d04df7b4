import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';

/** One measured figure, beside the baseline it is compared with in the same run. */
export interface Figure {
  readonly section: string;
  readonly name: string;
  readonly value: number | null;
  readonly unit: string;
  readonly baseline?: { readonly name: string; readonly value: number | null } | undefined;
  /** value / baseline (or baseline / value where smaller is better: see `lowerIsBetter`). */
  readonly ratio?: number | null | undefined;
  readonly goal?: string | undefined;
  /** Whether the goal is met, when there is one. */
  readonly met?: boolean | undefined;
  readonly note?: string | undefined;
}

export interface Report {
  /** `load` is the 1-minute load average when the run started: above the core count, other work shared the CPU. */
  readonly machine: { cpu: string; cores: number; node: string; platform: string; load: number };
  readonly mode: 'full' | 'quick';
  readonly started: string;
  readonly figures: Figure[];
  /** Grids printed after the table (e.g. stats timings per endpoint and preset). */
  readonly tables: { title: string; text: string }[];
  /** Everything measured, for the JSON file: by section. */
  readonly details: Record<string, unknown>;
}

export function newReport(mode: Report['mode']): Report {
  const cpu = cpus();
  return {
    machine: {
      cpu: cpu[0]?.model.trim() ?? 'unknown',
      cores: cpu.length,
      node: process.version,
      platform: `${process.platform}-${process.arch}`,
      load: Math.round(loadavg()[0]! * 100) / 100,
    },
    mode,
    started: new Date().toISOString(),
    figures: [],
    tables: [],
    details: {},
  };
}

/** Ratio of two figures, or null when either is missing or the baseline is zero. */
export function ratio(value: number | null | undefined, baseline: number | null | undefined): number | null {
  return value == null || baseline == null || baseline === 0 ? null : value / baseline;
}

const fmt = (n: number | null | undefined, digits = 0) =>
  n == null ? '—' : n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });

/** The figures as one table, section by section. */
export function formatTable(report: Report): string {
  const header = ['section', 'figure', 'Footfall', 'baseline', 'ratio', 'goal', ''];
  const rows = report.figures.map((f) => [
    f.section,
    f.name,
    `${fmt(f.value, f.value != null && Math.abs(f.value) < 10 ? 2 : 0)} ${f.unit}`.trim(),
    f.baseline ? `${fmt(f.baseline.value, f.baseline.value != null && Math.abs(f.baseline.value) < 10 ? 2 : 0)} (${f.baseline.name})` : '',
    // Cut, not rounded: 0.4955 against a goal of 0.5 must not print as 0.50.
    f.ratio == null ? '' : fmt(Math.floor(f.ratio * 100) / 100, 2),
    f.goal ?? '',
    f.met === undefined ? '' : f.met ? 'met' : 'MISSED',
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => c.padEnd(widths[i]!))
      .join('  ')
      .trimEnd();
  const m = report.machine;
  return [
    `Footfall benchmarks (${report.mode}) — ${m.cpu}, ${m.cores} cores, Node ${m.node}, load ${m.load} at start, ${report.started}`,
    '',
    line(header),
    line(widths.map((w) => '-'.repeat(w))),
    ...rows.map(line),
    '',
    ...report.figures.filter((f) => f.note).map((f) => `· ${f.section} / ${f.name}: ${f.note}`),
    ...report.tables.flatMap((t) => ['', `${t.title}`, '', t.text]),
  ].join('\n');
}

export function writeReport(report: Report, root: string): string {
  const dir = join(root, 'bench/results');
  mkdirSync(dir, { recursive: true });
  const file = join(dir, 'latest.json');
  writeFileSync(file, `${JSON.stringify(report, null, 2)}\n`);
  return file;
}
