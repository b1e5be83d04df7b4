import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { eraseDeleted } from '../store/lifecycle.ts';
import { getDailySalt } from '../store/salts.ts';
import { openSqliteStore } from '../store/sqlite/store.ts';
import type { Store } from '../store/store.ts';
import { startSaltRotation } from './salt-rotation.ts';
import { createVisitorIds, type VisitorFacts } from './visitor.ts';

let dir: string;
let path: string;
let store: Store;
beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'footfall-salt-history-'));
  path = join(dir, 'footfall.db');
  store = await openSqliteStore(path);
});
afterEach(async () => {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

const facts: VisitorFacts = { siteId: 'shop', timeZone: 'UTC', ip: '198.51.100.23', userAgent: 'Mozilla/5.0 Firefox/133.0' };
/** Twelve days; on the last, the salts of the last nine are kept (events up to 7 days old, and the day before theirs). */
const DAYS = Array.from({ length: 12 }, (_, i) => new Date(Date.parse('2026-11-13T00:00:00Z') + i * 86_400_000).toISOString().slice(0, 10));
const KEPT = DAYS.slice(3);
const noon = (day: string) => Date.parse(`${day}T12:00:00Z`);

describe('visitor salts across days', () => {
  it('leaves only the salts of the days whose events may still come in the database file, so older visitor ids cannot be made again', async () => {
    const ids = new Map<string, string>();
    const salts = new Map<string, string>();
    for (const [i, day] of DAYS.entries()) {
      // Each day the collector hashes visitors with that day's salt, and rotation runs.
      ids.set(day, (await createVisitorIds((d) => getDailySalt(store.db, d))(facts, noon(day))(noon(day))).visitorId);
      salts.set(day, (await store.db.selectFrom('salts').select('salt').where('day', '=', day).executeTakeFirstOrThrow()).salt);
      // From the tenth day on, the salt of the day nine days before goes (the rotation erases, then reports).
      await new Promise<void>((resolve, reject) => {
        const rotation = startSaltRotation(store.db, {
          timeZones: ['UTC'],
          now: () => noon(day),
          erase: () => eraseDeleted(store),
          onDeleted: (count) => (count === 1 ? resolve() : reject(new Error(`${count} salts deleted`))),
          onError: reject,
        });
        rotation.stop();
        if (i < 9) void rotation.prune().then((n) => (n === 0 ? resolve() : reject(new Error(`${n} salts deleted`))));
      });
    }
    expect(new Set(ids.values()).size).toBe(DAYS.length);
    expect((await store.db.selectFrom('salts').select('day').orderBy('day').execute()).map((r) => r.day)).toEqual(KEPT);

    // Not in the files either, while the collector runs (the log included) and once it stopped.
    const inFiles = (salt: string) => [path, `${path}-wal`].some((f) => existsSync(f) && readFileSync(f).includes(salt));
    for (const day of DAYS) expect(inFiles(salts.get(day)!), day).toBe(KEPT.includes(day));
    await store.close();
    for (const day of DAYS) expect(inFiles(salts.get(day)!), day).toBe(KEPT.includes(day));
    store = await openSqliteStore(path);

    // An event of a day whose salt is gone is hashed under today's: the old id does not come back, and no salt is drawn for its day.
    const now = noon(DAYS.at(-1)!);
    const again = createVisitorIds((d) => getDailySalt(store.db, d))(facts, now);
    expect((await again(noon('2026-11-15'))).visitorId).toBe(ids.get(DAYS.at(-1)!));
    expect((await again(noon('2026-11-18'))).visitorId).toBe(ids.get('2026-11-18'));
    expect((await store.db.selectFrom('salts').select('day').orderBy('day').execute()).map((r) => r.day)).toEqual(KEPT);
  });
});
