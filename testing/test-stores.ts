import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe } from 'vitest';
import { openStore } from '../collector/store/open-store.ts';
import type { DatabaseConfig, Store, StoreOptions } from '../collector/store/store.ts';
import { createTestSchema, testDatabaseUrl } from './test-schema.ts';

/*
 * The stores the suites run against: a SQLite file always, and PostgreSQL when
 * TEST_DATABASE_URL names a server (CI starts one). Each test database is its
 * own: a temporary folder, or a fresh schema dropped afterwards, so that test
 * files running at once never meet.
 */

/** One empty database of a kind, opened as often as a test likes, and dropped at the end. */
export interface TestDatabase {
  readonly config: DatabaseConfig;
  open(options?: StoreOptions): Promise<Store>;
  drop(): Promise<void>;
}

export interface StoreKind {
  readonly name: 'SQLite' | 'PostgreSQL';
  /** Why the kind is not available here, or null when it is. */
  readonly unavailable: string | null;
  createDatabase(): Promise<TestDatabase>;
}

const sqliteKind: StoreKind = {
  name: 'SQLite',
  unavailable: null,
  async createDatabase() {
    const dir = mkdtempSync(join(tmpdir(), 'footfall-test-'));
    const config: DatabaseConfig = { kind: 'sqlite', path: join(dir, 'footfall.db') };
    return {
      config,
      open: (options) => openStore(config, options),
      drop: async () => rmSync(dir, { recursive: true, force: true }),
    };
  },
};

const postgresKind: StoreKind = {
  name: 'PostgreSQL',
  unavailable: testDatabaseUrl ? null : 'TEST_DATABASE_URL is not set',
  async createDatabase() {
    const schema = await createTestSchema();
    const config: DatabaseConfig = { kind: 'postgres', url: schema.url };
    return { config, open: (options) => openStore(config, options), drop: schema.drop };
  },
};

export const STORE_KINDS: readonly StoreKind[] = [sqliteKind, postgresKind];

/**
 * Declares a suite once per store kind: `title (SQLite)`, `title (PostgreSQL)`.
 * A kind not available here is declared skipped, its reason in the title, so
 * that a run without PostgreSQL says so rather than passing in silence.
 */
export function describeEachStore(title: string, body: (kind: StoreKind) => void): void {
  for (const kind of STORE_KINDS) {
    if (kind.unavailable) {
      console.warn(
        `Skipping "${title}" on ${kind.name}: ${kind.unavailable} (set it to postgres://user:password@host/database to run it).`,
      );
      describe.skip(`${title} (${kind.name}: skipped, ${kind.unavailable})`, () => body(kind));
    } else describe(`${title} (${kind.name})`, () => body(kind));
  }
}

/** A fresh database of a kind and a store open on it for each test of a suite; a test may swap `store` for another it opened. */
export function storePerTest(kind: StoreKind, options?: StoreOptions): { database: TestDatabase; store: Store } {
  const held = {} as { database: TestDatabase; store: Store };
  beforeEach(async () => {
    held.database = await kind.createDatabase();
    held.store = await held.database.open(options);
  });
  afterEach(async () => {
    await held.store.close();
    await held.database.drop();
  });
  return held;
}
