import type { z } from 'zod';
import { COLLECTOR_ENVIRONMENT, DEMO_ENVIRONMENT, variableDocs } from './config-variables.ts';

/** Where the table is: the configuration page, from the repository's root. */
export const CONFIGURATION_PAGE = 'docs/configuration.md';

const HEADER = ['| variable | default | meaning |', '| --- | --- | --- |'];

/** The configuration page's table of variables, made from their schemas: one row a variable, in their order. */
export function configurationTable(): string {
  const shapes: Record<string, z.ZodType>[] = [COLLECTOR_ENVIRONMENT.shape, DEMO_ENVIRONMENT.shape];
  const rows = shapes.flatMap((shape) =>
    Object.entries(shape).map(([name, schema]) => {
      const doc = variableDocs.get(schema);
      if (!doc) throw new Error(`${name} has no doc: declare it with variable()`);
      return `| \`${name}\` | ${doc.default} | ${doc.description} |`;
    }),
  );
  return [...HEADER, ...rows].join('\n');
}

/** The page with its table of variables made anew; the rest of it as it was. */
export function withConfigurationTable(page: string): string {
  const lines = page.split('\n');
  const start = lines.indexOf(HEADER[0]!);
  if (start === -1) throw new Error(`no table headed "${HEADER[0]}" in ${CONFIGURATION_PAGE}`);
  let end = start;
  while (end < lines.length && lines[end]!.startsWith('|')) end++;
  return [...lines.slice(0, start), configurationTable(), ...lines.slice(end)].join('\n');
}
