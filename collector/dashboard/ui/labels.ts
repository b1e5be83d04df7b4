import type { BreakdownRow } from './types.ts';

/**
 * How a breakdown value reads in a row: a country code becomes its name, a
 * missing value says what it means for its dimension. The value used for
 * filtering stays the raw one.
 */

const EMPTY: Record<string, string> = {
  source: 'Direct / none',
  referrer: 'Direct / none',
  page: '(no path)',
  entry_page: '(no path)',
  exit_page: '(no path)',
  utm_source: '(no UTM source)',
  utm_medium: '(no UTM medium)',
  utm_campaign: '(no UTM campaign)',
  utm_term: '(no UTM term)',
  utm_content: '(no UTM content)',
  country: '(unknown)',
  region: '(unknown)',
  city: '(unknown)',
  browser: '(unknown)',
  os: '(unknown)',
  device: '(unknown)',
};

let regionNames: Intl.DisplayNames | null | undefined;

/** `Germany` for `DE`; the code itself when the browser does not know it. */
export function countryName(code: string): string {
  if (regionNames === undefined) {
    try {
      regionNames = new Intl.DisplayNames(['en'], { type: 'region' });
    } catch {
      regionNames = null;
    }
  }
  if (!/^[A-Z]{2}$/.test(code)) return code;
  try {
    return regionNames?.of(code) ?? code;
  } catch {
    return code;
  }
}

/** The text of a row's value for a dimension. */
export function valueLabel(dim: string, value: string | null): string {
  if (value === null || value === '') return EMPTY[dim] ?? '(none)';
  if (dim === 'country') return countryName(value);
  if (dim === 'device') return value.charAt(0).toUpperCase() + value.slice(1);
  if (dim === 'link') return value.replace(/^https?:\/\//, '');
  return value;
}

/** A short code shown before a value (the country code), or null. */
export function valueBadge(dim: string, row: BreakdownRow): string | null {
  if (dim === 'country' && row.value && /^[A-Z]{2}$/.test(row.value)) return row.value;
  if (dim === 'link' && row.element) return row.element;
  return null;
}

/**
 * The filter value that selects a row: its value, or `''` for the row of
 * "none" (direct traffic, no UTM tag).
 */
export function filterValue(value: string | null): string {
  return value ?? '';
}
