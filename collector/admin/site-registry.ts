/**
 * collector/admin/ — sites, keys and shares kept in the database: the live
 * sites (this file), stored credentials, their routes and the shared page.
 *
 * May import: collector/access, collector/store, collector/dashboard (the page a
 *   share opens), collector (shared modules).
 */
import type { Kysely } from 'kysely';
import { otherNamesOf, parseSites, plausibleDomain, type Site, type Sites } from '../sites.ts';
import type { Database } from '../store/schema.ts';
import { listSiteRows, type SiteRowInput, type StoredSiteRow, syncEnvironmentSites } from '../store/stored-sites.ts';

/** Where a site is configured: `FOOTFALL_SITES` (edited there only) or the sites API. */
export type SiteSourceName = 'environment' | 'api';

/** The rebuild of a site's rollups a time-zone change started, as the API reports it. */
export interface SiteRebuild {
  readonly state: 'running' | 'done' | 'failed';
  readonly at: number;
}

/**
 * The sites a collector serves, live: those of `FOOTFALL_SITES` and those
 * stored in the database, read again whenever the settings version moves.
 * Every part that asks `get` or `list` sees a change without a restart.
 */
export interface SiteRegistry extends Sites {
  sourceOf(id: string): SiteSourceName | undefined;
  rebuildOf(id: string): SiteRebuild | null;
  /** Writes the environment's sites to the database, then reads every stored one: once at start, after migrations. */
  start(db: Kysely<Database>, now: number): Promise<void>;
  /** Reads the stored sites again. */
  reload(db: Kysely<Database>): Promise<void>;
}

/**
 * A registry over the environment's sites. Until it reads the database, it
 * serves those alone. Listed sites (from either place) restrict ingestion to
 * themselves; with none listed anywhere, any site id is taken, as before.
 */
export function createSiteRegistry(environment: Sites): SiteRegistry {
  const defaults = parseSites(undefined, environment.defaultTimeZone);
  let list: readonly Site[] = environment.list;
  let byId = new Map(list.map((s) => [s.id, s]));
  let sources = new Map<string, SiteSourceName>(list.map((s) => [s.id, 'environment']));
  let rebuilds = new Map<string, SiteRebuild>();
  let names = otherNamesOf(list, false);

  const apply = (rows: readonly StoredSiteRow[]) => {
    // The environment wins for what it names, whatever another collector wrote.
    const envIds = new Set(environment.list.map((s) => s.id));
    list = Object.freeze([...environment.list, ...rows.filter((row) => !envIds.has(row.id)).map(siteOfRow)]);
    byId = new Map(list.map((s) => [s.id, s]));
    names = otherNamesOf(list, false);
    sources = new Map(rows.map((row) => [row.id, envIds.has(row.id) ? 'environment' : 'api'] as const));
    for (const id of envIds) sources.set(id, 'environment');
    rebuilds = new Map(
      rows
        .filter((row) => row.rebuild_state !== null)
        .map((row) => [row.id, { state: row.rebuild_state as SiteRebuild['state'], at: Number(row.rebuild_at) }]),
    );
  };

  const registry: SiteRegistry = {
    get restricted() {
      return list.length > 0;
    },
    get list() {
      return list;
    },
    defaultTimeZone: environment.defaultTimeZone,
    get(id) {
      return byId.get(id) ?? (list.length > 0 ? undefined : defaults.get(id));
    },
    // An unrestricted collector takes any site: another tool's name for one is its id.
    byPlausibleDomain: (domain) => names.byPlausible.get(domain) ?? (list.length > 0 ? undefined : defaults.get(domain)),
    byUmamiWebsite: (websiteId) => names.byUmami.get(websiteId) ?? (list.length > 0 ? undefined : defaults.get(websiteId)),
    sourceOf: (id) => sources.get(id),
    rebuildOf: (id) => rebuilds.get(id) ?? null,
    async start(db, now) {
      await syncEnvironmentSites(db, environment.list.map(environmentRow), now);
      await registry.reload(db);
    },
    async reload(db) {
      apply(await listSiteRows(db));
    },
  };
  return registry;
}

/** A site as its row stores it. */
export function rowOfSite(site: Site, source: SiteSourceName): SiteRowInput {
  return {
    id: site.id,
    domains: JSON.stringify(site.domains),
    time_zone: site.timeZone,
    public: site.public ? 1 : 0,
    downloads: site.downloads ? JSON.stringify(site.downloads) : null,
    aliases: JSON.stringify(aliasesOf(site)),
    source,
  };
}

const environmentRow = (site: Site) => rowOfSite(site, 'environment');

function siteOfRow(row: StoredSiteRow): Site {
  const downloads = row.downloads === null ? undefined : (JSON.parse(row.downloads) as string[]);
  const aliases = JSON.parse(row.aliases) as Aliases;
  return Object.freeze({
    id: row.id,
    domains: Object.freeze(JSON.parse(row.domains) as string[]),
    timeZone: row.time_zone,
    public: Number(row.public) === 1,
    ...(downloads ? { downloads: Object.freeze(downloads) } : {}),
    ...namesFromAliases(aliases),
  });
}

/** The names other tools know a site by, as the sites API and the `aliases` column hold them: `plausible` (domains joined by `|`), `umami`. */
export function aliasesOf(site: Site): Aliases {
  return {
    ...(site.plausible ? { plausible: site.plausible.join('|') } : {}),
    ...(site.umami ? { umami: site.umami } : {}),
  };
}

/** `{plausible?, umami?}` as the sites API and the `aliases` column hold them. */
export type Aliases = { readonly plausible?: string; readonly umami?: string };

/** A site's fields from its aliases. */
export function namesFromAliases(aliases: Aliases): Pick<Site, 'plausible' | 'umami'> {
  return {
    ...(aliases.plausible ? { plausible: Object.freeze(aliases.plausible.split('|').map((d) => plausibleDomain(d))) } : {}),
    ...(aliases.umami ? { umami: aliases.umami.toLowerCase() } : {}),
  };
}
