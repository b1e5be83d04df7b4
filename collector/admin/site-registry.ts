import type { Kysely } from 'kysely';
import { parseSites, type Site, type Sites } from '../sites.ts';
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

  const apply = (rows: readonly StoredSiteRow[]) => {
    // The environment wins for what it names, whatever another collector wrote.
    const envIds = new Set(environment.list.map((s) => s.id));
    list = Object.freeze([...environment.list, ...rows.filter((row) => !envIds.has(row.id)).map(siteOfRow)]);
    byId = new Map(list.map((s) => [s.id, s]));
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
    aliases: JSON.stringify(site.aliases ?? {}),
    source,
  };
}

const environmentRow = (site: Site) => rowOfSite(site, 'environment');

function siteOfRow(row: StoredSiteRow): Site {
  const downloads = row.downloads === null ? undefined : (JSON.parse(row.downloads) as string[]);
  const aliases = JSON.parse(row.aliases) as Record<string, string>;
  return Object.freeze({
    id: row.id,
    domains: Object.freeze(JSON.parse(row.domains) as string[]),
    timeZone: row.time_zone,
    public: Number(row.public) === 1,
    ...(downloads ? { downloads: Object.freeze(downloads) } : {}),
    ...(Object.keys(aliases).length > 0 ? { aliases: Object.freeze(aliases) } : {}),
  });
}
