import { readFileSync } from 'node:fs';
import type { z } from '@hono/zod-openapi';
import { describe, expect, it } from 'vitest';
import { METRICS } from './metrics.ts';
import { schemas } from './schemas.ts';

// Every figure the stats API answers has a written definition in
// docs/counting.md (its "Figures" table), so a new one cannot ship undefined.

/** Text fields that Footfall works out (the rest are names and labels as stored). */
const TEXT_FIGURES = new Set(['element']);
/** Fields that hold other fields, or repeat the request: not figures. */
const NOT_FIGURES = new Set(['results', 'rows', 'errors', 'sites', 'metrics', 'comparison', 'range', 'page', 'limit']);

type Def = { type: string; shape?: Record<string, z.ZodType>; element?: z.ZodType; innerType?: z.ZodType; valueType?: z.ZodType };
const defOf = (schema: z.ZodType) => (schema as unknown as { _zod: { def: Def } })._zod.def;

/** The names of a response schema's figures: fields whose values are numbers, lists or records of them. */
function figureNames(schema: z.ZodType, names = new Set<string>()): Set<string> {
  const def = defOf(schema);
  if (def.type === 'optional' || def.type === 'nullable' || def.type === 'default') return figureNames(def.innerType!, names);
  if (def.type === 'array') return figureNames(def.element!, names);
  if (def.type === 'record') return figureNames(def.valueType!, names);
  if (def.type !== 'object') return names;
  for (const [key, field] of Object.entries(def.shape!)) {
    let inner = defOf(field);
    while (inner.innerType) inner = defOf(inner.innerType);
    if ((TEXT_FIGURES.has(key) || !['string', 'boolean', 'literal', 'enum'].includes(inner.type)) && !NOT_FIGURES.has(key)) names.add(key);
    figureNames(field, names);
  }
  return names;
}

/** The names the "Figures" table of docs/counting.md defines: each `name` in a row's first cell with a definition. */
function definedFigures(): Set<string> {
  const page = readFileSync(new URL('../../docs/counting.md', import.meta.url), 'utf8');
  const section = page.split(/^## Figures$/m)[1]?.split(/^## /m)[0] ?? '';
  const defined = new Set<string>();
  for (const line of section.split('\n')) {
    const cells = line.split('|').map((c) => c.trim());
    if (cells.length < 4 || cells[2] === '' || /^-+$/.test(cells[2]!)) continue;
    for (const [, name] of cells[1]!.matchAll(/`([^`]+)`/g)) defined.add(name!);
  }
  return defined;
}

describe('docs/counting.md', () => {
  it('defines every figure of the stats API', () => {
    const names = new Set<string>(METRICS);
    for (const schema of Object.values(schemas)) figureNames(schema as z.ZodType, names);
    // The walk reaches the nested figures, not only the top-level ones.
    expect([...names]).toEqual(
      expect.arrayContaining(['bounce_rate', 'conversion_rate', 'revenue', 'change', 'top_paths', 'views', 'per_minute', 'element']),
    );
    const defined = definedFigures();
    expect([...names].filter((name) => !defined.has(name)).sort()).toEqual([]);
  });
});
