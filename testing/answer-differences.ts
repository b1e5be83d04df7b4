/** Comparing two answers of the read API, row by row where rows have names. */

/** Where two answers differ, as `path: expected … got …` lines (at most `max`). */
export function differences(expected: unknown, actual: unknown, max = 8, at = ''): string[] {
  const found: string[] = [];
  walk(expected, actual, at);
  return found;

  function walk(e: unknown, a: unknown, path: string): void {
    if (found.length >= max) return;
    if (Array.isArray(e) && Array.isArray(a)) {
      const ke = e.map(rowKey);
      const ka = a.map(rowKey);
      if (ke.every((k) => k !== null) && ka.every((k) => k !== null) && new Set(ke).size === ke.length && new Set(ka).size === ka.length) {
        // Rows named by their value or date: say which are missing or extra, then compare those in both, then their order.
        const missing = e.filter((_, i) => !ka.includes(ke[i]!));
        const extra = a.filter((_, i) => !ke.includes(ka[i]!));
        if (missing.length > 0) found.push(`${path || '.'}: missing rows ${JSON.stringify(missing.slice(0, 4))}`);
        if (extra.length > 0) found.push(`${path || '.'}: extra rows ${JSON.stringify(extra.slice(0, 4))}`);
        e.forEach((row, i) => {
          const j = ka.indexOf(ke[i]!);
          if (j !== -1) walk(row, a[j], `${path}[${ke[i]}]`);
        });
        const common = ke.filter((k) => ka.includes(k));
        const order = ka.filter((k) => ke.includes(k));
        if (found.length < max && common.join('\u0000') !== order.join('\u0000'))
          found.push(`${path || '.'}: rows in another order: expected ${common.join(' | ')}, answered ${order.join(' | ')}`);
        return;
      }
      if (e.length !== a.length)
        found.push(
          `${path || '.'}: ${e.length} items expected, ${a.length} answered: expected ${JSON.stringify(e).slice(0, 300)}, answered ${JSON.stringify(a).slice(0, 300)}`,
        );
      else for (let i = 0; i < e.length; i++) walk(e[i], a[i], `${path}[${i}]`);
      return;
    }
    if (isObject(e) && isObject(a)) {
      for (const key of new Set([...Object.keys(e), ...Object.keys(a)])) walk(e[key], a[key], `${path}.${key}`);
      return;
    }
    if (!Object.is(e, a) && JSON.stringify(e) !== JSON.stringify(a))
      found.push(`${path}: expected ${JSON.stringify(e)}, answered ${JSON.stringify(a)}`);
  }
}

/** A row's name: its value, its date and start, its path or key; null for anything else. */
function rowKey(row: unknown): string | null {
  if (!isObject(row)) return null;
  if ('value' in row) return JSON.stringify(row.value);
  if ('date' in row) return 'start' in row ? `${row.date}@${row.start}` : String(row.date);
  if ('path' in row) return JSON.stringify(row.path);
  if ('key' in row) return JSON.stringify(row.key);
  return null;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
