import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { startCollectorProcess } from './support/collector-process.ts';
import { emptyLoadResult, sendLoad } from './support/load.ts';
import { storedEventIds } from './support/stored-events.ts';

// WRITE_MODE=durable answers 202 only once the events are committed: a
// collector killed outright in the middle of a burst has every one of them.

test('with WRITE_MODE=durable, SIGKILL mid-burst loses no event that got a 202', async () => {
  test.setTimeout(120_000);
  const dir = mkdtempSync(join(tmpdir(), 'footfall-sigkill-durable-'));
  try {
    const collector = await startCollectorProcess({ WRITE_MODE: 'durable', FLUSH_INTERVAL_MS: '1000' }, dir);
    const result = emptyLoadResult();
    let killed = false;
    const burst = sendLoad(
      { url: collector.url, site: 'load', workers: 8, eventsPerBatch: 5, maxRequests: 100_000, until: () => killed },
      result,
    );
    await expect.poll(() => result.accepted.size, { timeout: 60_000 }).toBeGreaterThan(500);
    const stopped = collector.stop('SIGKILL');
    killed = true;
    expect(await stopped).toBeNull();
    await burst;

    const stored = new Set(storedEventIds(collector.databasePath, 'load'));
    const missing = [...result.accepted].filter((id) => !stored.has(id));
    expect(missing, `${missing.length} of ${result.accepted.size} events answered 202 are missing`).toEqual([]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
