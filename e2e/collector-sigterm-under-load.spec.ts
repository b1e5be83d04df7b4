import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { startCollectorProcess } from './support/collector-process.ts';
import { emptyLoadResult, sendLoad } from './support/load.ts';
import { storedEventIds } from './support/stored-events.ts';

// The collector is sent SIGTERM while clients are sending events. It stops
// taking new ones, writes every one it answered 202, and exits 0; started
// again on the same database, every 202 is there.

test('SIGTERM under load: every event answered 202 is in the database after a restart', async () => {
  test.setTimeout(120_000);
  const dir = mkdtempSync(join(tmpdir(), 'footfall-sigterm-'));
  try {
    // The writer's timer never fires first: every event is still queued when the signal comes.
    const collector = await startCollectorProcess({ FLUSH_INTERVAL_MS: '60000', FLUSH_BATCH_SIZE: '100000' }, dir);
    const result = emptyLoadResult();
    let signalled = false;
    const load = sendLoad(
      {
        url: collector.url,
        site: 'load',
        workers: 6,
        eventsPerBatch: 5,
        maxRequests: 4000,
        until: (r) => signalled && (r.statuses.get('error') ?? 0) >= 6,
      },
      result,
    );
    await expect.poll(() => result.accepted.size, { timeout: 30_000 }).toBeGreaterThanOrEqual(500);
    signalled = true;
    const exitCode = await collector.stop('SIGTERM');
    await load;

    expect(exitCode).toBe(0);
    expect(collector.output.join('\n')).toContain('stopped; every accepted event is written');
    expect(collector.output.join('\n')).not.toMatch(/127\.0\.0\.1|::1\b/);
    const afterSignal = collector.output.slice(collector.output.findIndex((line) => line.includes('shutting down')));
    const drained = afterSignal
      .filter((line) => line.includes('"msg":"flush"'))
      .reduce((sum, line) => sum + (JSON.parse(line) as { events: number }).events, 0);

    const restarted = await startCollectorProcess({}, dir);
    try {
      const stored = new Set(storedEventIds(restarted.databasePath, 'load'));
      const missing = [...result.accepted].filter((id) => !stored.has(id));
      expect(missing, `${missing.length} accepted events are missing`).toEqual([]);
      // Nothing is stored that was not sent, and nothing twice.
      expect([...stored].every((id) => result.sent.has(id))).toBe(true);
      expect(storedEventIds(restarted.databasePath, 'load')).toHaveLength(stored.size);
      const stats = await restarted.getJson<{ total_views: number }>('/stats?site_id=load');
      expect(stats.total_views).toBe(stored.size);
      expect(drained).toBe(stored.size);
      test.info().annotations.push({
        type: 'load',
        description: `${result.accepted.size} events answered 202, ${stored.size} stored; statuses ${JSON.stringify([...result.statuses])}`,
      });
    } finally {
      await restarted.stop();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
