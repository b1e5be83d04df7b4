import { ROLES, type Role } from '../access/index.ts';
import { siteSettingsSchema } from '../admin/input.ts';
import { createStoredKey } from '../admin/key-routes.ts';
import { rowOfSite } from '../admin/site-registry.ts';
import { SITE_ID } from '../sites.ts';
import { revokeRow } from '../store/stored-secrets.ts';
import { putSiteRow } from '../store/stored-sites.ts';
import { defineCommand } from './command.ts';
import { openCliStore } from './store.ts';

const list = (value: string | undefined) =>
  (value ?? '')
    .split(/[|,]/)
    .map((s) => s.trim())
    .filter(Boolean);

/** `keys add --role ROLE [--sites A|B] [--name NAME]`: a key stored (hashed) in the database; its secret printed once. */
export const addKeyCommand = defineCommand({
  name: 'keys add',
  usage: '--role admin|read|links [--sites A|B] [--name NAME]',
  summary: 'a key kept (hashed) in the database, printed once',
  options: { role: { type: 'string', multiple: true }, sites: { type: 'string' }, name: { type: 'string' } },
  async run({ config, values, positionals, io }) {
    const roles = (values.role ?? []).flatMap(list);
    const bad = roles.filter((r) => !(ROLES as string[]).includes(r));
    if (roles.length === 0 || bad.length > 0 || positionals.length > 0) {
      io.err(`keys add: --role expects ${ROLES.join(', ')}${bad.length > 0 ? `, got "${bad.join(', ')}"` : ''}`);
      return 2;
    }
    const sites = values.sites === undefined ? null : list(values.sites);
    const { store, sites: known } = await openCliStore(config, io);
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
  },
});

/** `keys revoke KEY_ID`: refused at once by every collector of the database, within its poll of the settings. */
export const revokeKeyCommand = defineCommand({
  name: 'keys revoke',
  usage: 'KEY_ID',
  summary: 'a stored key refused from now on, by every collector within seconds',
  async run({ config, positionals, io }) {
    if (positionals.length !== 1) {
      io.err('keys revoke: expected one KEY_ID (as `keys list` names it)');
      return 2;
    }
    const { store } = await openCliStore(config, io);
    try {
      if (!(await revokeRow(store.db, 'api_keys', positionals[0]!, Date.now()))) {
        io.err(`keys revoke: no active key "${positionals[0]}"`);
        return 1;
      }
      io.out(`Key ${positionals[0]} revoked.`);
      return 0;
    } finally {
      await store.close();
    }
  },
});

/** `sites add SITE_ID [--domains A|B] [--tz ZONE] [--public]`: a site every collector of the database takes within seconds. */
export const addSiteCommand = defineCommand({
  name: 'sites add',
  usage: 'SITE_ID [--domains A|B] [--tz ZONE] [--public]',
  summary: 'a site kept in the database, taken by every collector of it within seconds',
  options: { domains: { type: 'string' }, tz: { type: 'string' }, public: { type: 'boolean' } },
  async run({ config, values, positionals, io }) {
    const id = positionals[0] ?? '';
    const parsed = siteSettingsSchema.safeParse({ domains: list(values.domains), timezone: values.tz, public: values.public });
    if (positionals.length !== 1 || !SITE_ID.test(id) || !parsed.success) {
      const why = parsed.success ? 'expected one SITE_ID' : parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
      io.err(`sites add: ${why}\nUsage: npm run footfall -- sites add SITE_ID [--domains A|B] [--tz ZONE] [--public]`);
      return 2;
    }
    const { store, sites } = await openCliStore(config, io);
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
  },
});
