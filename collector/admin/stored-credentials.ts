import type { Kysely } from 'kysely';
import { type Credentials, keyPrincipal, type Principal, type Role, sharePrincipal } from '../access/index.ts';
import type { Database } from '../store/schema.ts';
import { anyActiveKey, findKeyRow, findShareRow, touchKeyRow } from '../store/stored-secrets.ts';
import { digestOf, parseSecret, verifySecret } from './secrets.ts';

/** Stored keys and share tokens as credentials, and what a change of the settings makes them forget. */
export interface StoredCredentials extends Credentials {
  /** Forgets every checked secret and whether keys exist: after a change here or on another collector. */
  forget(): void;
}

// Checked secrets remembered (by digest) until the settings change; bounded against a flood of made-up ones.
const REMEMBERED = 10_000;

/**
 * API keys and share tokens kept (as scrypt hashes) in the database. A
 * presented secret is checked once, then remembered by its digest until the
 * settings version moves, so that a revocation holds on every collector as
 * soon as it reads the version. A key's last-used day is written once a day.
 *
 * A share with a password is presented as `TOKEN.PASSWORD` (the password in
 * base64url), so that the password is checked as the token is.
 */
export function storedCredentials(db: Kysely<Database>, now: () => number = Date.now): StoredCredentials {
  let checked = new Map<string, Promise<Principal | undefined>>();
  let keysExist: Promise<boolean> | null = null;
  const touched = new Map<string, string>();

  const check = async (presented: string): Promise<Principal | undefined> => {
    const dot = presented.indexOf('.');
    const secret = dot === -1 ? presented : presented.slice(0, dot);
    const claimed = parseSecret(secret);
    if (!claimed) return undefined;
    if (claimed.kind === 'key') {
      const row = await findKeyRow(db, claimed.id);
      if (!row || row.revoked_at !== null || dot !== -1 || !(await verifySecret(secret, row.secret_hash))) return undefined;
      return keyPrincipal(
        `key ${row.id}`,
        JSON.parse(row.roles) as Role[],
        row.sites === null ? null : (JSON.parse(row.sites) as string[]),
      );
    }
    const row = await findShareRow(db, claimed.id);
    if (!row || row.revoked_at !== null || !(await verifySecret(secret, row.secret_hash))) return undefined;
    if (row.password_hash !== null) {
      const password = dot === -1 ? undefined : Buffer.from(presented.slice(dot + 1), 'base64url').toString('utf8');
      if (password === undefined || !(await verifySecret(password, row.password_hash))) return undefined;
    } else if (dot !== -1) return undefined;
    return sharePrincipal(`share ${row.id}`, row.site_id);
  };

  const noteUse = (principal: Principal | undefined) => {
    if (principal?.kind !== 'key') return;
    const id = principal.label.slice(4);
    const day = new Date(now()).toISOString().slice(0, 10);
    if (touched.get(id) === day) return;
    touched.set(id, day);
    void touchKeyRow(db, id, day).catch(() => touched.delete(id));
  };

  return {
    configured: () => {
      keysExist ??= anyActiveKey(db);
      // A database that failed is asked again next time.
      keysExist.catch(() => (keysExist = null));
      return keysExist;
    },
    async find(presented) {
      const digest = digestOf(presented);
      let found = checked.get(digest);
      if (!found) {
        if (checked.size >= REMEMBERED) checked = new Map();
        found = check(presented);
        checked.set(digest, found);
        // A database that failed is asked again next time.
        found.catch(() => checked.delete(digest));
      }
      const principal = await found;
      noteUse(principal);
      return principal;
    },
    forget() {
      checked = new Map();
      keysExist = null;
    },
  };
}
