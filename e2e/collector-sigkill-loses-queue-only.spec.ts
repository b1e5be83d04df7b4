import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { startCollectorProcess } from './support/collector-process.ts';
import { emptyLoadResult, sendLoad } from './support/load.ts';
import { storedEventIds } from './support/stored-events.ts';

// In the default mode a 202 means "queued". A collector killed outright loses
// what its queue held since the last write and nothing else: with one sender,
// the queue's order is the order sent, so what is lost is the newest events,
// every one before them written.

test('SIGKILL mid-burst loses only the events queued since the last write', async () => {
  test.setTimeout(120_000);
  const dir = mkdtempSync(join(tmpdir(), 'footfall-sigkill-'));
  try {
    const collector = await startCollectorProcess({ FLUSH_INTERVAL_MS: '300', QUEUE_MAX_EVENTS: '100000' }, dir);
    const result = emptyLoadResult();
    let killed = false;
    const burst = sendLoad(
      { url: collector.url, site: 'load', workers: 1, eventsPerBatch: 5, maxRequests: 100_000, until: () => killed },
      result,
    );
    await expect.poll(() => result.accepted.size, { timeout: 60_000 }).toBeGreaterThan(500);
    const stopped = collector.stop('SIGKILL');
    killed = true;
    expect(await stopped).toBeNull();
    await burst;

    const accepted = [...result.accepted].sort((a, b) => a - b);
    const stored = new Set(storedEventIds(collector.databasePath, 'load'));
    expect([...stored].every((id) => result.accepted.has(id))).toBe(true);
    const lost = accepted.filter((id) => !stored.has(id));
    // The lost are a tail: everything accepted before the first lost one was written.
    const firstLost = lost[0] ?? Infinity;
    expect(accepted.filter((id) => id < firstLost).every((id) => stored.has(id))).toBe(true);
    expect(lost.every((id) => id >= firstLost)).toBe(true);
    expect(stored.size).toBeGreaterThan(0);
    test.info().annotations.push({
      type: 'lost on SIGKILL',
      description: `${lost.length} of ${accepted.length} events answered 202 (the queue since the last write)`,
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
