import { openPostgresStore } from './postgres/store.ts';
import { openSqliteStore } from './sqlite/store.ts';
import type { DatabaseConfig, Store, StoreOptions } from './store.ts';

/** Opens the store the configuration names, migrated and ready for writes. */
export function openStore(config: DatabaseConfig, options: StoreOptions = {}): Promise<Store> {
  return config.kind === 'postgres' ? openPostgresStore(config.url, options) : openSqliteStore(config.path, options);
}
