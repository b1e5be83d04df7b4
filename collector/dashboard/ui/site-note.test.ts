// @vitest-environment happy-dom
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { showAnySiteNote } from './site-note.ts';

const page = readFileSync('collector/dashboard/index.html', 'utf8').replace(/<link [^>]*>/g, '');

describe('the any-site note', () => {
  it('says any site id is counted and how to restrict it, only when the collector takes any', () => {
    document.documentElement.innerHTML = page;
    const note = document.getElementById('any-site-note')!;
    expect(note.hidden).toBe(true);
    showAnySiteNote(true, document);
    expect(note.hidden).toBe(false);
    expect(note.textContent).toMatch(/Any site id is counted here, so a typo in data-site starts a new site/);
    expect(note.textContent).toContain('FOOTFALL_SITES=example.com,shop.example.com');
    showAnySiteNote(false, document);
    expect(note.hidden).toBe(true);
  });
});
