import { byId, setText } from './dom.ts';
import type { ImportedAnswer } from './types.ts';

const FIGURES: Record<string, string> = {
  visitors: 'visitors',
  visits: 'visits',
  pageviews: 'page views',
  bounce_rate: 'bounce rate',
  visit_duration: 'visit duration',
  views_per_visit: 'views per visit',
  events: 'events',
  top_paths: 'top pages',
};

/**
 * What the numbers shown say of imported history, in words: which days add
 * another tool's daily figures and in which numbers, or that they are left
 * out and why; empty when the range holds none.
 */
export function importedNoteText(summary: ImportedAnswer | undefined, series: ImportedAnswer | undefined): string {
  const answer = summary ?? series;
  if (!answer) return '';
  const days = answer.from === answer.to ? answer.from : `${answer.from} to ${answer.to}`;
  if (!answer.included) return `Imported history (${days}) is not included: ${answer.warning ?? answer.skipped}`;
  const figures = answer.metrics.map((m) => FIGURES[m] ?? m).join(', ');
  const chart = series && !series.included ? ` The chart leaves it out: ${series.warning ?? series.skipped}` : '';
  return `Includes imported history for ${days} (before this site's own data): ${figures}.${chart}`;
}

/** Shows the note above the key numbers, or hides it. */
export function showImportedNote(doc: Document, summary: ImportedAnswer | undefined, series: ImportedAnswer | undefined): void {
  const note = byId('imported-note', doc);
  const text = importedNoteText(summary, series);
  setText(note, text);
  note.hidden = text === '';
}
