/*
 * The one CSV writer: the stats API's `format=csv`, `POST /reports` and the
 * raw export all write their cells here. Stored text comes from visitors'
 * browsers, and a spreadsheet runs a cell that starts like a formula (OWASP,
 * "CSV Injection"): such text is written after a single quote, which
 * spreadsheets read as "this is text" and do not show. Every text cell is
 * quoted, so that no separator inside it (a comma, or the `;` of locales
 * whose spreadsheets split on it) can start a new cell. Numbers are the
 * collector's own (counts, durations, revenue) and are written as numbers: a
 * negative amount is a refund, not a formula.
 */

/** Text a spreadsheet reads as a formula: `=`, `+`, `-` or `@` first (after any spaces), or a tab or carriage return. */
const FORMULA_START = /^\s*[=+\-@]|^[\t\r]/;

/** Rows as CSV with a header row: nested objects (revenue by currency) become `key_sub` columns. */
export function toCsv(rows: readonly Record<string, unknown>[], header: readonly string[] = []): string {
  const flat = rows.map((row) => {
    const out: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(row)) {
      if (value !== null && typeof value === 'object') for (const [sub, v] of Object.entries(value)) out[`${key}_${sub}`] = v;
      else out[key] = value;
    }
    return out;
  });
  const columns: string[] = rows.length === 0 ? [...header] : [];
  for (const row of flat) for (const key of Object.keys(row)) if (!columns.includes(key)) columns.push(key);
  return csvRow(columns) + flat.map((row) => csvRow(columns.map((c) => row[c]))).join('');
}

/** One CSV row, ended by CRLF (RFC 4180). */
export function csvRow(cells: readonly unknown[]): string {
  return `${cells.map(csvCell).join(',')}\r\n`;
}

/** One CSV cell: a number as it is, none as an empty cell, anything else as quoted text, led by `'` where it would start a formula. */
export function csvCell(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number' || typeof value === 'bigint') return String(value);
  const text = String(value);
  return `"${(FORMULA_START.test(text) ? `'${text}` : text).replace(/"/g, '""')}"`;
}
