// @vitest-environment happy-dom
import { describe, expect, it } from 'vitest';
import { importedNoteText, showImportedNote } from './imported-note.ts';

const included = { from: '2024-01-01', to: '2024-03-31', included: true, metrics: ['visitors', 'pageviews', 'top_paths'] };

describe('the imported history note', () => {
  it('names the imported days and the numbers that add them', () => {
    expect(importedNoteText(included, included)).toBe(
      "Includes imported history for 2024-01-01 to 2024-03-31 (before this site's own data): visitors, page views, top pages.",
    );
  });

  it('says when the chart or the numbers leave it out, and why', () => {
    const hours = { ...included, included: false, metrics: [], skipped: 'interval' as const, warning: 'Imported history is daily.' };
    expect(importedNoteText(included, hours)).toMatch(/The chart leaves it out: Imported history is daily\.$/);
    const filters = { ...included, from: '2024-01-01', to: '2024-01-01', included: false, metrics: [], skipped: 'filters' as const };
    expect(importedNoteText(filters, filters)).toBe('Imported history (2024-01-01) is not included: filters');
  });

  it('is shown only when the range holds imported days', () => {
    document.body.innerHTML = '<p id="imported-note" hidden></p>';
    const note = document.getElementById('imported-note')!;
    showImportedNote(document, included, included);
    expect(note.hidden).toBe(false);
    expect(note.textContent).toMatch(/^Includes imported history/);
    showImportedNote(document, undefined, undefined);
    expect(note.hidden).toBe(true);
  });
});
