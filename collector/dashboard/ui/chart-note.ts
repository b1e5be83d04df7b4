import { byId, setText } from './dom.ts';
import { formatMoney } from './format.ts';

/** What the main chart leaves out, said in a line under it: revenue's other currencies, hours without revenue, a forecast it cannot give. */

/** The currency a revenue chart draws: the period's of the most revenue, the one the key number lists first (ties: by code); null with none. */
export function chartCurrency(revenue: Readonly<Record<string, number>> | undefined): string | null {
  const ranked = Object.entries(revenue ?? {})
    .filter(([, amount]) => Number.isFinite(amount) && amount !== 0)
    .sort(([a, x], [b, y]) => y - x || (a < b ? -1 : 1));
  return ranked[0]?.[0] ?? null;
}

export interface ChartNoteInput {
  /** The period's revenue per currency, as the key number shows it; undefined unless the chart draws revenue. */
  readonly revenue?: Readonly<Record<string, number>>;
  /** The currency the revenue chart draws. */
  readonly currency: string | null;
  readonly interval: string;
  /** Why the forecast asked for has no days, as the API says it. */
  readonly forecastReason?: string;
}

/** The line under the chart, in words; empty when it leaves nothing out. */
export function chartNoteText({ revenue, currency, interval, forecastReason }: ChartNoteInput): string {
  const parts: string[] = [];
  if (revenue && interval === 'hour') parts.push('Revenue is counted by day, not by hour: choose days, or a longer period, to draw it.');
  const others = Object.fromEntries(Object.entries(revenue ?? {}).filter(([c, amount]) => c !== currency && amount !== 0));
  if (revenue && currency && Object.keys(others).length > 0)
    parts.push(
      `The chart and its forecast show ${currency}, the currency of the most revenue in this period; ${formatMoney(others)} in other currencies is not converted or drawn.`,
    );
  if (forecastReason) parts.push(`No forecast: ${forecastReason}.`);
  return parts.join(' ');
}

/** Shows the line under the chart, or hides it. */
export function showChartNote(doc: Document, text: string): void {
  const note = byId('chart-note', doc);
  setText(note, text);
  note.hidden = text === '';
}
