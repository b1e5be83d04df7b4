import { addDays, daysBetween, localDay } from './model-calendar.ts';
import type { Clause, SiteData } from './model-counting.ts';

/** The reference model's reading of a request's range, comparison and filters, from docs/stats-api.md. */

/** Local days, inclusive. */
export type Range = { from: string; to: string };

/** `date`, `period` (with `date`, or today), `from`/`to`, or none: all time, from the first to the last day with data. */
export function resolveRange(s: SiteData, p: URLSearchParams, now?: number): Range | null {
  const from = p.get('from');
  const to = p.get('to');
  if (from && to) return { from, to };
  const period = p.get('period');
  const date = p.get('date') ?? (now === undefined ? null : localDay(now, s.timeZone));
  if (period === 'all' || (!period && !p.get('date'))) {
    if (s.events.length === 0) return null;
    const days = s.events.map((e) => s.dayOf(e.ts)).sort();
    return { from: days[0]!, to: days.at(-1)! };
  }
  if (!date) throw new Error('the model needs a date, or a clock, with a period');
  const month = date.slice(0, 7);
  switch (period ?? 'day') {
    case 'day':
      return { from: date, to: date };
    case '7d':
      return { from: addDays(date, -6), to: date };
    case '30d':
      return { from: addDays(date, -29), to: date };
    case 'month':
      return { from: `${month}-01`, to: addDays(`${shiftMonth(month, 1)}-01`, -1) };
  }
  throw new Error(`the model does not resolve period=${period}`);
}

const shiftMonth = (month: string, by: number) => {
  const [y, m] = month.split('-').map(Number) as [number, number];
  const d = new Date(Date.UTC(y, m - 1 + by, 1));
  return d.toISOString().slice(0, 7);
};

/** The period before (as many days; as many calendar months for `period=month`), or the same days a year earlier. */
export function comparisonRange(range: Range, p: URLSearchParams): Range {
  if (p.get('compare') === 'year') return { from: yearEarlier(range.from), to: yearEarlier(range.to) };
  if (p.get('period') === 'month') {
    const month = shiftMonth(range.from.slice(0, 7), -1);
    return { from: `${month}-01`, to: addDays(range.from, -1) };
  }
  const length = daysBetween(range.from, range.to) + 1;
  return { from: addDays(range.from, -length), to: addDays(range.from, -1) };
}

function yearEarlier(date: string): string {
  const shifted = `${Number(date.slice(0, 4)) - 1}${date.slice(4)}`;
  return addDays(shifted, 0) === shifted ? shifted : addDays(`${shifted.slice(0, 4)}-03-01`, -1);
}

/** `DIM==VALUE;DIM!=VALUE;DIM~PART`, `\;` a `;` and `\\` a backslash in a VALUE; an empty VALUE is none. */
export function parseFilters(text: string): Clause[] {
  const parts: string[] = [];
  let current = '';
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c === '\\' && (text[i + 1] === ';' || text[i + 1] === '\\')) current += text[++i];
    else if (c === ';') {
      parts.push(current);
      current = '';
    } else current += c;
  }
  parts.push(current);
  return parts
    .filter((part) => part.trim() !== '')
    .map((part) => {
      const match = /^(.*?)(==|!=|~)(.*)$/s.exec(part);
      if (!match) throw new Error(`the model cannot read the filter ${part}`);
      // An empty VALUE is none for `==` and `!=`; for `~` it is the empty part, which every value contains.
      const op = match[2] as Clause['op'];
      return { dim: match[1]!.trim(), op, value: match[3] === '' && op !== '~' ? null : match[3]! };
    });
}
