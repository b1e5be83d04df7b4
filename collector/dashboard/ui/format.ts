import { round, roundRatio } from '../../stats/rounding.ts';

/**
 * Numbers as people read them: 1.2k, 3m 20s, 45%. Pure functions; the
 * dashboard shows nothing the user reads without passing through here.
 * Every rounding is the stats API's: half away from zero, on the decimal value.
 */

const UNITS: readonly [number, string][] = [
  [1e9, 'B'],
  [1e6, 'M'],
  [1e3, 'k'],
];

/** A count: `950`, `1.2k`, `12.3k`, `123k`, `4.5M`. Empty values read as an em dash. */
export function formatNumber(n: number | null | undefined): string {
  if (n === null || n === undefined || !Number.isFinite(n)) return '—';
  const sign = n < 0 ? '-' : '';
  const abs = Math.abs(n);
  for (const [size, unit] of UNITS) {
    // From 999.5 of a unit on, it reads as one of the next: 999,960 is "1M", not "1000k".
    if (abs >= size * 0.9995) {
      const scaled = abs / size;
      return `${sign}${trim(fixed(scaled, scaled >= 100 ? 0 : 1))}${unit}`;
    }
  }
  return `${sign}${Number.isInteger(abs) ? abs : trim(fixed(abs, abs >= 100 ? 0 : abs >= 10 ? 1 : 2))}`;
}

/** A ratio such as views per visit: at most two decimals, `2.35`, `1.5`, `3`. */
export function formatDecimal(n: number | null | undefined): string {
  if (n === null || n === undefined || !Number.isFinite(n)) return '—';
  return trim(fixed(n, 2));
}

/** Seconds as `0s`, `45s`, `3m 20s`, `1h 5m`, `2d 3h`. */
export function formatDuration(seconds: number | null | undefined): string {
  if (seconds === null || seconds === undefined || !Number.isFinite(seconds)) return '—';
  const s = Math.max(0, round(seconds, 0));
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m ${s % 60}s`;
  const h = Math.floor(m / 60);
  if (h < 24) return `${h}h ${m % 60}m`;
  return `${Math.floor(h / 24)}d ${h % 24}h`;
}

/** A percentage given as 0–100: `45%`; under 10, one decimal (`4.5%`). */
export function formatPercent(p: number | null | undefined): string {
  if (p === null || p === undefined || !Number.isFinite(p)) return '—';
  const abs = Math.abs(p);
  return `${abs !== 0 && abs < 10 ? trim(fixed(p, 1)) : round(p, 0)}%`;
}

/** `part` as a percentage of `whole`, as formatPercent writes it, rounded once from the exact ratio: 1 of 8 is `12.5%`… `13%`. */
export function formatShare(part: number, whole: number): string {
  const tenths = roundRatio(part * 100, whole, 1);
  return formatPercent(Math.abs(tenths) < 10 ? tenths : roundRatio(part * 100, whole, 0));
}

/** Revenue per currency, e.g. `€29.50` or `€29.50 · $10.00`; an em dash when there is none. */
export function formatMoney(revenue: Readonly<Record<string, number>> | null | undefined, locale?: string): string {
  const entries = Object.entries(revenue ?? {}).filter(([, amount]) => Number.isFinite(amount));
  if (entries.length === 0) return '—';
  return entries
    .sort(([, a], [, b]) => b - a)
    .map(([currency, amount]) => {
      try {
        return new Intl.NumberFormat(locale, { style: 'currency', currency, notation: amount >= 100_000 ? 'compact' : 'standard' }).format(
          amount,
        );
      } catch {
        return `${fixed(amount, 2)} ${currency}`;
      }
    })
    .join(' · ');
}

export type ChangeDirection = 'up' | 'down' | 'flat' | 'none';

/**
 * How a change reads: `↑ 13%`, `↓ 4.5%`, `0%`; a rate's change is in
 * percentage points (`↑ 2.5 pp`); `none` when there was nothing to compare with.
 */
export function formatChange(
  change: number | null | undefined,
  unit: 'percent' | 'points' = 'percent',
): { text: string; direction: ChangeDirection } {
  if (change === null || change === undefined || !Number.isFinite(change)) return { text: '—', direction: 'none' };
  const rounded = round(change, Math.abs(change) < 10 ? 1 : 0);
  const size = (n: number) => (unit === 'points' ? `${n} pp` : formatPercent(n));
  if (rounded === 0) return { text: size(0), direction: 'flat' };
  return { text: `${rounded > 0 ? '↑' : '↓'} ${size(Math.abs(rounded))}`, direction: rounded > 0 ? 'up' : 'down' };
}

/**
 * A timeseries bucket as a short label: `14:00` for an hour, `23 Nov` for
 * a day or week, `Nov 2026` for a month. Buckets are wall-clock times of the
 * site's zone already, so they are formatted as UTC to keep them as they are.
 */
export function formatBucket(date: string, interval: string, locale?: string): string {
  const parsed = parseBucket(date);
  if (parsed === null) return date;
  if (interval === 'hour' || /T\d\d/.test(date)) {
    return new Intl.DateTimeFormat(locale, { timeZone: 'UTC', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(parsed);
  }
  if (interval === 'month') return new Intl.DateTimeFormat(locale, { timeZone: 'UTC', month: 'short', year: 'numeric' }).format(parsed);
  return new Intl.DateTimeFormat(locale, { timeZone: 'UTC', day: 'numeric', month: 'short' }).format(parsed);
}

/** A bucket with its day, for tooltips: `Mon 23 Nov 2026, 14:00`. */
export function formatBucketLong(date: string, interval: string, locale?: string): string {
  const parsed = parseBucket(date);
  if (parsed === null) return date;
  const day: Intl.DateTimeFormatOptions = { timeZone: 'UTC', weekday: 'short', day: 'numeric', month: 'short', year: 'numeric' };
  if (interval === 'month') return new Intl.DateTimeFormat(locale, { timeZone: 'UTC', month: 'long', year: 'numeric' }).format(parsed);
  if (interval === 'week') return `Week of ${new Intl.DateTimeFormat(locale, day).format(parsed)}`;
  if (interval === 'hour' || /T\d\d/.test(date)) {
    return new Intl.DateTimeFormat(locale, { ...day, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(parsed);
  }
  return new Intl.DateTimeFormat(locale, day).format(parsed);
}

/** `2026-11-23` or `2026-11-23T14:00` as the UTC instant with those wall-clock fields. */
export function parseBucket(date: string): number | null {
  const m = /^(\d{4})-(\d{2})(?:-(\d{2}))?(?:[T ](\d{2})(?::(\d{2}))?)?/.exec(date);
  if (!m) return null;
  return Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3] ?? 1), Number(m[4] ?? 0), Number(m[5] ?? 0));
}

/** A calendar range as a short phrase in the reader's language: `23 Nov 2026`, `1 – 30 Nov 2026`. */
export function formatDateRange(from: string, to: string, locale?: string): string {
  const a = parseBucket(from);
  const b = parseBucket(to);
  if (a === null || b === null) return `${from} – ${to}`;
  return new Intl.DateTimeFormat(locale, { timeZone: 'UTC', day: 'numeric', month: 'short', year: 'numeric' }).formatRange(
    a,
    Math.max(a, b),
  );
}

/** `toFixed` after rounding the decimal value (`toFixed` alone rounds the binary one: 2.675 → "2.67"). */
function fixed(n: number, decimals: number): string {
  return round(n, decimals).toFixed(decimals);
}

function trim(text: string): string {
  return text.includes('.') ? text.replace(/\.?0+$/, '') : text;
}
