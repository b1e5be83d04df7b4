import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CONFIGURATION_PAGE, configurationTable, withConfigurationTable } from './config-doc.ts';
import { COLLECTOR_ENVIRONMENT } from './config-variables.ts';

describe('the configuration page', () => {
  it('lists every variable as its schema declares it (npm run docs:config writes the table)', () => {
    const page = readFileSync(new URL(`../${CONFIGURATION_PAGE}`, import.meta.url), 'utf8');
    expect(page).toBe(withConfigurationTable(page));
  });

  it('has a row a variable, with its default', () => {
    const table = configurationTable();
    for (const name of Object.keys(COLLECTOR_ENVIRONMENT.shape)) expect(table).toMatch(new RegExp(`^\\| \`${name}\` \\| `, 'm'));
    expect(table).toContain('| `FLUSH_BATCH_SIZE` | `1000` | events per transaction |');
  });
});
