import type { Insertable, Kysely, Selectable } from 'kysely';
import type { Database, SitesTable } from './schema.ts';
import { changeSettings } from './settings-version.ts';

export type StoredSiteRow = Selectable<SitesTable>;
/** What a write of a site says: everything but its bookkeeping. */
export type SiteRowInput = Omit<Insertable<SitesTable>, 'created_at' | 'updated_at' | 'rebuild_state' | 'rebuild_at'>;

/** Every stored site, by id. */
export function listSiteRows(db: Kysely<Database>): Promise<StoredSiteRow[]> {
  return db.selectFrom('sites').selectAll().orderBy('id').execute();
}

/** Creates a site, or replaces its settings (keeping when it was created and its rebuild's state). */
export function putSiteRow(db: Kysely<Database>, site: SiteRowInput, now: number): Promise<void> {
  return changeSettings(db, async (trx) => {
    await trx
      .insertInto('sites')
      .values({ ...site, created_at: now, updated_at: now, rebuild_state: null, rebuild_at: null })
      .onConflict((oc) =>
        oc.column('id').doUpdateSet({
          domains: site.domains,
          time_zone: site.time_zone,
          public: site.public,
          downloads: site.downloads ?? null,
          aliases: site.aliases,
          source: site.source,
          updated_at: now,
        }),
      )
      .execute();
  });
}

/**
 * Makes the stored sites from the environment the ones it lists now: each
 * written (the environment wins for what it names), and those it no longer
 * lists removed. Changes the version only when something changed.
 */
export async function syncEnvironmentSites(db: Kysely<Database>, sites: readonly SiteRowInput[], now: number): Promise<void> {
  const stored = new Map((await listSiteRows(db)).map((row) => [row.id, row]));
  const same = (row: StoredSiteRow | undefined, site: SiteRowInput) =>
    row !== undefined &&
    row.source === site.source &&
    row.domains === site.domains &&
    row.time_zone === site.time_zone &&
    Number(row.public) === site.public &&
    (row.downloads ?? null) === (site.downloads ?? null) &&
    row.aliases === site.aliases;
  const listed = new Set(sites.map((s) => s.id));
  const gone = [...stored.values()].filter((row) => row.source === 'environment' && !listed.has(row.id)).map((row) => row.id);
  for (const site of sites) if (!same(stored.get(site.id), site)) await putSiteRow(db, site, now);
  if (gone.length > 0) await changeSettings(db, (trx) => trx.deleteFrom('sites').where('id', 'in', gone).execute());
}

/** Records the state of the rebuild a time-zone change started, for every collector to report. */
export function setSiteRebuild(db: Kysely<Database>, id: string, state: 'running' | 'done' | 'failed', at: number): Promise<void> {
  return changeSettings(db, async (trx) => {
    await trx.updateTable('sites').set({ rebuild_state: state, rebuild_at: at }).where('id', '=', id).execute();
  });
}

/** A deleted site's settings: its shared links, and its row unless `FOOTFALL_SITES` lists it (the environment wins). */
export function deleteSiteSettings(db: Kysely<Database>, id: string): Promise<void> {
  return changeSettings(db, async (trx) => {
    await trx.deleteFrom('shares').where('site_id', '=', id).execute();
    await trx.deleteFrom('sites').where('id', '=', id).where('source', '=', 'api').execute();
  });
}
