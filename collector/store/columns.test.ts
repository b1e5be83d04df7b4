import { describe, expect, it } from 'vitest';
import { EVENT_COLUMNS, toEventValues } from './columns.ts';
import { formatTokens, parseTokens } from './roll-up-tokens.ts';
import type { EventRow } from './schema.ts';
import { VISIT_COLUMNS, type VisitDraft, visitValues } from './visits.ts';

describe('toEventValues', () => {
  it('lists values in EVENT_COLUMNS order, empty and absent ones as NULL', () => {
    const row = Object.fromEntries(EVENT_COLUMNS.map((c) => [c, c])) as unknown as EventRow;
    expect(toEventValues(row)).toEqual([...EVENT_COLUMNS]);
    expect(toEventValues({ site_id: 's', ts: 1, type: 'pageview', name: 'pageview', visitor_id: 'v', path: '' }).slice(0, 7)).toEqual([
      's',
      1,
      'pageview',
      'pageview',
      'v',
      null,
      null,
    ]);
  });
});

describe('visitValues', () => {
  it("lists a visit's values in VISIT_COLUMNS order", () => {
    const visit = Object.fromEntries(VISIT_COLUMNS.map((c) => [c, c])) as unknown as VisitDraft;
    expect(visitValues(visit)).toEqual([...VISIT_COLUMNS]);
  });
});

describe('visitor-day tokens', () => {
  it('round-trip through their stored form', () => {
    const tokens = new Map<string | number, number>([
      ['d', 1],
      ['h29400000', 1],
      [42, 1],
      [-7, 3],
      [-9, 1],
    ]);
    expect(formatTokens(tokens)).toBe('d,h29400000,42,v7*3,v9');
    expect(parseTokens(formatTokens(tokens))).toEqual(tokens);
  });
});
