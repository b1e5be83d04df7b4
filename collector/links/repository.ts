import { randomInt } from 'node:crypto';
import type { Kysely, Selectable } from 'kysely';
import type { Database, LinksTable } from '../store/schema.ts';
import type { Utm } from './input.ts';

/** Tracked links in the store: plain Kysely, the same SQL for every dialect. */

type Db = Kysely<Database>;
export type StoredLink = Selectable<LinksTable>;

/** A link as the API shows it. */
export interface Link {
  readonly code: string;
  readonly site_id: string;
  readonly target_url: string;
  readonly title: string | null;
  readonly profile: string | null;
  readonly utm: Utm | null;
  readonly created_at: string;
  readonly updated_at: string;
  /** When it was removed; null while it is live. */
  readonly removed_at: string | null;
}

export interface NewLink {
  readonly code?: string | undefined;
  readonly site_id: string;
  readonly target_url: string;
  readonly title?: string | null | undefined;
  readonly profile?: string | null | undefined;
  readonly utm?: Utm | null | undefined;
}

const ALPHABET = 'abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789';
/** 7 characters of 57: 2 × 10^12 codes, so a clash is rare and retried. */
const CODE_LENGTH = 7;
const ATTEMPTS = 8;

/** A random code, without the look-alike characters 0, O, 1, l and I. */
export function generateCode(length = CODE_LENGTH): string {
  let code = '';
  for (let i = 0; i < length; i++) code += ALPHABET[randomInt(ALPHABET.length)];
  return code;
}

export function toLink(row: StoredLink): Link {
  const iso = (ms: number | null) => (ms === null ? null : new Date(Number(ms)).toISOString());
  return {
    code: row.code,
    site_id: row.site_id,
    target_url: row.target_url,
    title: row.title,
    profile: row.profile,
    utm: row.utm ? (JSON.parse(row.utm) as Utm) : null,
    created_at: iso(row.created_at)!,
    updated_at: iso(row.updated_at)!,
    removed_at: iso(row.removed_at),
  };
}

const utmText = (utm: Utm | null | undefined) => (utm && Object.keys(utm).length > 0 ? JSON.stringify(utm) : null);

/**
 * Stores a new link under its own code, or a generated one (retried on a
 * clash); null when the code asked for is taken. A code is taken for good
 * once given: by a live link, a removed one, or one of a deleted site.
 */
export async function insertLink(db: Db, link: NewLink, now: number): Promise<StoredLink | null> {
  for (let attempt = 0; attempt < (link.code ? 1 : ATTEMPTS); attempt++) {
    const code = link.code ?? generateCode();
    // Reserved first, in the table nothing deletes from: a failure before the link is stored wastes the code, never frees it.
    const reserved = await db
      .insertInto('link_codes')
      .values({ code, created_at: now })
      .onConflict((oc) => oc.column('code').doNothing())
      .executeTakeFirst();
    if (Number(reserved.numInsertedOrUpdatedRows ?? 0n) !== 1) continue;
    const row: StoredLink = {
      code,
      site_id: link.site_id,
      target_url: link.target_url,
      title: link.title ?? null,
      profile: link.profile ?? null,
      utm: utmText(link.utm),
      created_at: now,
      updated_at: now,
      removed_at: null,
    };
    const result = await db
      .insertInto('links')
      .values(row)
      .onConflict((oc) => oc.column('code').doNothing())
      .executeTakeFirst();
    if (Number(result.numInsertedOrUpdatedRows ?? 0n) === 1) return row;
  }
  if (link.code) return null;
  throw new Error(`no free link code after ${ATTEMPTS} attempts`);
}

/** A link by code, live or removed; undefined when there never was one. */
export function findLink(db: Db, code: string): Promise<StoredLink | undefined> {
  return db.selectFrom('links').selectAll().where('code', '=', code).executeTakeFirst();
}

/** What a code leads to: its link (live or removed), `retired` when its site was deleted, undefined when it was never given. */
export async function findCode(db: Db, code: string): Promise<StoredLink | 'retired' | undefined> {
  const link = await findLink(db, code);
  if (link) return link;
  const given = await db.selectFrom('link_codes').select('code').where('code', '=', code).executeTakeFirst();
  return given ? 'retired' : undefined;
}

/** A site's link by code, live or removed; undefined when the site has none of that code. */
export function findSiteLink(db: Db, siteId: string, code: string): Promise<StoredLink | undefined> {
  return db.selectFrom('links').selectAll().where('code', '=', code).where('site_id', '=', siteId).executeTakeFirst();
}

/** A site's links, newest first; removed ones only when asked. */
export function listLinks(db: Db, siteId: string, options: { removed?: boolean } = {}): Promise<StoredLink[]> {
  let q = db.selectFrom('links').selectAll().where('site_id', '=', siteId);
  if (!options.removed) q = q.where('removed_at', 'is', null);
  return q.orderBy('created_at', 'desc').orderBy('code').execute();
}

/** The live links of a profile page, oldest first (the order they were added in). */
export function profileLinks(db: Db, profile: string): Promise<StoredLink[]> {
  return db
    .selectFrom('links')
    .selectAll()
    .where('profile', '=', profile)
    .where('removed_at', 'is', null)
    .orderBy('created_at')
    .orderBy('code')
    .execute();
}

/** The site whose live links a profile page lists, if any: a profile belongs to one site. */
export async function profileSite(db: Db, profile: string): Promise<string | undefined> {
  const row = await db
    .selectFrom('links')
    .select('site_id')
    .where('profile', '=', profile)
    .where('removed_at', 'is', null)
    .executeTakeFirst();
  return row?.site_id;
}

export interface LinkChanges {
  readonly target_url?: string | undefined;
  readonly title?: string | null | undefined;
  readonly profile?: string | null | undefined;
  readonly utm?: Utm | null | undefined;
}

/** Changes a live link's fields (those given; null clears); the updated row, or undefined when no live link has the code. */
export async function updateLink(db: Db, code: string, changes: LinkChanges, now: number): Promise<StoredLink | undefined> {
  const values: Partial<StoredLink> = { updated_at: now };
  if (changes.target_url !== undefined) values.target_url = changes.target_url;
  if (changes.title !== undefined) values.title = changes.title;
  if (changes.profile !== undefined) values.profile = changes.profile;
  if (changes.utm !== undefined) values.utm = utmText(changes.utm);
  await db.updateTable('links').set(values).where('code', '=', code).where('removed_at', 'is', null).execute();
  const row = await findLink(db, code);
  return row && row.removed_at === null ? row : undefined;
}

/** Removes a live link: its code answers 410 from now on and is never given again. False when there was none live. */
export async function removeLink(db: Db, code: string, now: number): Promise<boolean> {
  const result = await db
    .updateTable('links')
    .set({ removed_at: now, updated_at: now })
    .where('code', '=', code)
    .where('removed_at', 'is', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

/**
 * Deletes every link of a site, live or removed (when the site itself is
 * deleted); how many. Their codes stay given: `/l/CODE` answers 410, and no
 * link of any site can take them again.
 */
export async function deleteLinksOfSite(db: Db, siteId: string): Promise<number> {
  const result = await db.deleteFrom('links').where('site_id', '=', siteId).executeTakeFirst();
  return Number(result.numDeletedRows);
}
