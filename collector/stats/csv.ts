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
  return [columns.join(','), ...flat.map((row) => columns.map((c) => csvCell(row[c])).join(','))].join('\r\n') + '\r\n';
}

/** One CSV cell (RFC 4180): quoted when it holds a quote, comma or line break; empty for null. */
export function csvCell(value: unknown): string {
  if (value === null || value === undefined) return '';
  const text = String(value);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}
