import { addKeyCommand, addSiteCommand, revokeKeyCommand } from './admin.ts';
import { type Command, type CommandOptions, defineCommand } from './command.ts';
import { deleteSiteCommand } from './delete-site.ts';
import { exportCommand } from './export.ts';
import { importPlausibleCommand, importUmamiCommand } from './import.ts';
import { createKeyCommand, listKeysCommand } from './keys.ts';
import { createReportCommand, deleteReportCommand, listReportsCommand, sendReportCommand } from './reports.ts';
import { rebuildRollupsCommand } from './rollups.ts';
import { listSitesCommand } from './sites.ts';

/** `help`: every command of the table, with what it takes and does. */
const helpCommand = defineCommand({
  name: 'help',
  summary: 'this text',
  run({ io }) {
    io.out(usage());
    return 0;
  },
});

/** Every command of `npm run footfall -- COMMAND`, in the order help lists them. Add one here. */
export const COMMANDS: readonly Command<CommandOptions>[] = [
  listSitesCommand,
  addSiteCommand,
  deleteSiteCommand,
  exportCommand,
  importUmamiCommand,
  importPlausibleCommand,
  createKeyCommand,
  listKeysCommand,
  addKeyCommand,
  revokeKeyCommand,
  rebuildRollupsCommand,
  listReportsCommand,
  createReportCommand,
  sendReportCommand,
  deleteReportCommand,
  helpCommand,
];

/** The help text, from the table. */
export function usage(): string {
  const lines = COMMANDS.flatMap((command) => {
    const head = [command.name, command.usage].filter(Boolean).join(' ');
    const [first = '', ...rest] = command.summary.split('\n');
    const pad = ' '.repeat(29);
    const opening = head.length < 27 ? [`  ${head.padEnd(27)}${first}`] : [`  ${head}`, `${pad}${first}`];
    return [...opening, ...rest.map((line) => `${pad}${line}`)];
  });
  return [
    'Usage: npm run footfall -- COMMAND',
    '',
    'Commands:',
    ...lines,
    '',
    'The CLI reads the same environment as the collector (DATABASE_URL, FOOTFALL_SITES, FOOTFALL_API_KEYS, ...).',
  ].join('\n');
}
