/**
 * The clauses of a `filters` parameter, `DIM==VALUE;DIM!=VALUE;DIM~PART`,
 * split at each `;` that is not escaped. In a value, `\;` is a `;` and `\\` a
 * backslash; any other backslash is itself (`C:\temp` needs no escape). The
 * stats API and the dashboard read and write filters with these two.
 */
export function splitClauses(text: string): string[] {
  const clauses: string[] = [];
  let clause = '';
  for (let i = 0; i < text.length; i++) {
    const char = text[i]!;
    const next = text[i + 1];
    if (char === '\\' && (next === ';' || next === '\\')) {
      clause += next;
      i++;
    } else if (char === ';') {
      clauses.push(clause);
      clause = '';
    } else {
      clause += char;
    }
  }
  clauses.push(clause);
  return clauses;
}

/** A value as written in a filter: `;` and `\` escaped, so that splitClauses gives it back. */
export function escapeValue(value: string): string {
  return value.replace(/[\\;]/g, '\\$&');
}
