import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { expect, test } from '@playwright/test';
import { startCollectorProcess } from './support/collector-process.ts';
import { emptyLoadResult, sendLoad } from './support/load.ts';
import { storedEventIds } from './support/stored-events.ts';

// Mid-run, another process takes the database's write lock and holds it: the
// collector's writes fail. It must answer 503 with Retry-After (never a 202
// it cannot keep), say it is not ready, keep what it had accepted, and once
// the lock is gone take events again and write every one it accepted.

test('the store fails mid-run: 503s while it is down, then recovery with nothing lost', async () => {
  test.setTimeout(180_000);
  const dir = mkdtempSync(join(tmpdir(), 'footfall-store-failure-'));
  try {
    const collector = await startCollectorProcess({ FLUSH_INTERVAL_MS: '50' }, dir);
    const result = emptyLoadResult();
    const base = { url: collector.url, site: 'load', workers: 3, eventsPerBatch: 4, pauseMs: 5 };
    const ready = async () => (await fetch(new URL('/ready', collector.url), { signal: AbortSignal.timeout(60_000) })).status;

    await sendLoad({ ...base, maxRequests: 60, until: () => false }, result);
    expect(result.accepted.size).toBe(240);
    expect(await ready()).toBe(200);

    // Another process holds the write lock: the next flush waits out SQLite's busy timeout, then fails.
    const lock = new Database(collector.databasePath);
    lock.exec('BEGIN EXCLUSIVE');
    let released = false;
    try {
      await sendLoad({ ...base, maxRequests: 2000, until: (r) => (r.statuses.get(503) ?? 0) >= 3 }, result);
      expect(result.statuses.get(503)).toBeGreaterThanOrEqual(3);
      expect(result.retryAfter.every((value) => Number(value) > 0)).toBe(true);
      expect(await ready()).toBe(503);
      lock.exec('ROLLBACK');
      released = true;
    } finally {
      if (!released) lock.exec('ROLLBACK');
      lock.close();
    }

    await expect.poll(ready, { timeout: 60_000, intervals: [200] }).toBe(200);
    const before = result.accepted.size;
    await sendLoad({ ...base, maxRequests: 60, until: () => false }, result);
    expect(result.accepted.size).toBe(before + 240);

    expect(await collector.stop('SIGTERM')).toBe(0);
    const stored = new Set(storedEventIds(collector.databasePath, 'load'));
    const missing = [...result.accepted].filter((id) => !stored.has(id));
    expect(missing, `${missing.length} accepted events are missing`).toEqual([]);
    expect([...stored].every((id) => result.sent.has(id))).toBe(true);
    const output = collector.output.join('\n');
    expect(output).toContain('flush failed; events kept in the queue and retried');
    expect(output).toContain('the database accepts writes again');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
