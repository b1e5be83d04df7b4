import { parseArgs } from 'node:util';
import { ROLES, type Role } from '../access/index.ts';
import type { CliOutput } from '../cli.ts';
import type { Config } from '../config.ts';
import { SITE_ID } from '../sites.ts';
import { revokeRow } from '../store/stored-secrets.ts';
import { putSiteRow } from '../store/stored-sites.ts';
import { siteSettingsSchema } from './input.ts';
import { createStoredKey } from './key-routes.ts';
import { openStoreWithSites } from './open-with-sites.ts';
import { rowOfSite } from './site-registry.ts';

const list = (value: string | undefined) =>
  (value ?? '')
    .split(/[|,]/)
    .map((s) => s.trim())
    .filter(Boolean);

/** `keys add --role ROLE [--sites A|B] [--name NAME]`: a key stored (hashed) in the database; its secret printed once. */
export async function addKeyCommand(config: Config, args: readonly string[], io: CliOutput): Promise<number> {
  const { values } = parseArgs({
    args: [...args],
    options: { role: { type: 'string', multiple: true }, sites: { type: 'string' }, name: { type: 'string' } },
    strict: true,
  });
  const roles = (values.role ?? []).flatMap(list);
  const bad = roles.filter((r) => !(ROLES as string[]).includes(r));
  if (roles.length === 0 || bad.length > 0) {
    io.err(`keys add: --role expects ${ROLES.join(', ')}${bad.length > 0 ? `, got "${bad.join(', ')}"` : ''}`);
    return 2;
  }
  const sites = values.sites === undefined ? null : list(values.sites);
  const { store, sites: known } = await openStoreWithSites(config);
  try {
    const unknown = (sites ?? []).filter((id) => !known.get(id));
    if (sites?.length === 0 || unknown.length > 0) {
      io.err(`keys add: --sites: not a site this collector serves: ${unknown.join(', ') || '(none named)'}`);
      return 1;
    }
    const { key, secret } = await createStoredKey(store, { name: values.name ?? null, roles: roles as Role[], sites }, Date.now());
    io.out(
      `A new ${roles.join('+')} key (${key.label}) for ${sites ? sites.join(', ') : 'every site'}. Shown this once; Footfall keeps only its hash:`,
    );
    io.out(`  ${secret}`);
    io.out(`Send it as: Authorization: Bearer ${secret}`);
    return 0;
  } finally {
    await store.close();
  }
}

/** `keys revoke KEY_ID`: refused at once by every collector of the database, within its poll of the settings. */
export async function revokeKeyCommand(config: Config, args: readonly string[], io: CliOutput): Promise<number> {
  if (args.length !== 1) {
    io.err('keys revoke: expected one KEY_ID (as `keys list` names it)');
    return 2;
  }
  const { store } = await openStoreWithSites(config);
  try {
    if (!(await revokeRow(store.db, 'api_keys', args[0]!, Date.now()))) {
      io.err(`keys revoke: no active key "${args[0]}"`);
      return 1;
    }
    io.out(`Key ${args[0]} revoked.`);
    return 0;
  } finally {
    await store.close();
  }
}

/** `sites add SITE_ID [--domains A|B] [--tz ZONE] [--public]`: a site every collector of the database takes within seconds. */
export async function addSiteCommand(config: Config, args: readonly string[], io: CliOutput): Promise<number> {
  const { values, positionals } = parseArgs({
    args: [...args],
    options: { domains: { type: 'string' }, tz: { type: 'string' }, public: { type: 'boolean' } },
    allowPositionals: true,
    strict: true,
  });
  const id = positionals[0] ?? '';
  const parsed = siteSettingsSchema.safeParse({ domains: list(values.domains), timezone: values.tz, public: values.public });
  if (positionals.length !== 1 || !SITE_ID.test(id) || !parsed.success) {
    const why = parsed.success ? 'expected one SITE_ID' : parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
    io.err(`sites add: ${why}\nUsage: npm run footfall -- sites add SITE_ID [--domains A|B] [--tz ZONE] [--public]`);
    return 2;
  }
  const { store, sites } = await openStoreWithSites(config);
  try {
    if (sites.sourceOf(id)) {
      io.err(`sites add: site "${id}" exists${sites.sourceOf(id) === 'environment' ? ' in FOOTFALL_SITES' : ''}`);
      return 1;
    }
    const input = parsed.data;
    const site = { id, domains: input.domains ?? [], timeZone: input.timezone ?? sites.defaultTimeZone, public: input.public ?? false };
    await putSiteRow(store.db, rowOfSite(site, 'api'), Date.now());
    io.out(
      `Site "${id}" added (time zone ${site.timeZone}). Paste into its pages: <script defer src="https://COLLECTOR/footfall.js" data-site="${id}"></script>`,
    );
    return 0;
  } finally {
    await store.close();
  }
}
