import { createHash, randomBytes, scrypt, timingSafeEqual } from 'node:crypto';

/** What a stored secret is: an API key (`ffk_`) or a share token (`ffs_`). */
export type SecretKind = 'key' | 'share';

const PREFIX: Record<SecretKind, string> = { key: 'ffk', share: 'ffs' };
const SECRET = /^(ffk|ffs)_([0-9a-f]{12})_([A-Za-z0-9_-]{43})$/;
// scrypt's defaults (N=2^14, r=8, p=1): tens of milliseconds a check; a checked secret is remembered, not checked again.
const COST = { N: 16384, r: 8, p: 1 };

/** A new secret: its public id (what lists and logs name) and the whole secret, shown once. */
export function newSecret(kind: SecretKind): { id: string; secret: string } {
  const id = randomBytes(6).toString('hex');
  return { id, secret: `${PREFIX[kind]}_${id}_${randomBytes(32).toString('base64url')}` };
}

/** The kind and id a presented secret claims; undefined for what no stored secret looks like. */
export function parseSecret(secret: string): { kind: SecretKind; id: string } | undefined {
  const match = SECRET.exec(secret);
  if (!match) return undefined;
  return { kind: match[1] === 'ffk' ? 'key' : 'share', id: match[2]! };
}

/** `scrypt$SALT$HASH`: what the database keeps of a secret or a password. */
export async function hashSecret(secret: string): Promise<string> {
  const salt = randomBytes(16);
  return `scrypt$${salt.toString('base64url')}$${(await derive(secret, salt)).toString('base64url')}`;
}

/** True when `secret` is the one `stored` was made from; compared in constant time. */
export async function verifySecret(secret: string, stored: string): Promise<boolean> {
  const [scheme, salt, hash] = stored.split('$');
  if (scheme !== 'scrypt' || !salt || !hash) return false;
  const expected = Buffer.from(hash, 'base64url');
  const derived = await derive(secret, Buffer.from(salt, 'base64url'));
  return derived.length === expected.length && timingSafeEqual(derived, expected);
}

/** A fast digest of a presented secret: the key of the memory of checked ones, so that it holds no secret itself. */
export function digestOf(secret: string): string {
  return createHash('sha256').update(secret).digest('base64url');
}

function derive(secret: string, salt: Buffer): Promise<Buffer> {
  return new Promise((resolve, reject) =>
    scrypt(secret.normalize('NFC'), salt, 32, COST, (error, key) => (error ? reject(error) : resolve(key))),
  );
}
