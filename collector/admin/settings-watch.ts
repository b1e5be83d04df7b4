import type { Kysely } from 'kysely';
import type { Database } from '../store/schema.ts';
import { readSettingsVersion } from '../store/settings-version.ts';

/** How often a collector reads the settings version: a change made anywhere holds everywhere within about this long. */
export const SETTINGS_POLL_MS = 1_000;

export interface SettingsWatch {
  /** Reads the version now, and applies a change: after a change made here, so that it holds here at once. */
  check(): Promise<void>;
  stop(): void;
}

/**
 * Polls the settings version row every `everyMs`; when it moved (a site, key
 * or share changed, through any collector or the CLI), runs `onChange` before
 * noting the new version, so that a failed reload is tried again.
 */
export function watchSettings(
  db: Kysely<Database>,
  options: { everyMs?: number; onChange: () => Promise<void>; onError?: (error: unknown) => void },
): SettingsWatch {
  let seen: number | null = null;
  let running: Promise<void> | null = null;
  const check = () =>
    (running ??= (async () => {
      const version = await readSettingsVersion(db);
      if (version !== seen) {
        await options.onChange();
        seen = version;
      }
    })().finally(() => (running = null)));
  const timer = setInterval(() => void check().catch((error) => options.onError?.(error)), options.everyMs ?? SETTINGS_POLL_MS);
  timer.unref();
  return {
    // One in flight at a time; a check asked meanwhile waits for it, then reads again.
    check: async () => {
      await running?.catch(() => {});
      await check();
    },
    stop: () => clearInterval(timer),
  };
}
