import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../config.ts';
import { silentLog } from '../log.ts';
import { type RunningCollector, startCollector } from '../server.ts';
import { LIFECYCLE_CHUNK } from '../store/lifecycle.ts';

// The export through a real HTTP server: the body arrives in pieces as pages are read.

let dir: string;
let collector: RunningCollector;
const KEY = 'export-key-0123456789abc';

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'footfall-export-'));
  const config = loadConfig({
    PORT: '0',
    HOST: '127.0.0.1',
    DATABASE_URL: join(dir, 'footfall.db'),
    FOOTFALL_SITES: 'shop',
    FOOTFALL_API_KEYS: KEY,
  });
  collector = await startCollector(config, { log: silentLog });
});
afterEach(async () => {
  await collector.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('GET /export over HTTP', () => {
  it('streams every event of a site, pages of rows in several body chunks', async () => {
    const total = 3 * LIFECYCLE_CHUNK + 1;
    const start = Date.parse('2026-11-01T00:00:00Z');
    await collector.store.insertEvents(
      Array.from({ length: total }, (_, i) => ({
        site_id: 'shop',
        ts: start + i * 1000,
        type: 'pageview',
        name: 'pageview',
        visitor_id: `v${i % 100}`,
        path: `/p/${i}`,
      })),
    );
    const res = await fetch(`${collector.url}/export?site_id=shop&format=csv`, { headers: { authorization: `Bearer ${KEY}` } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-disposition')).toBe('attachment; filename="footfall-shop-events.csv"');
    let chunks = 0;
    let text = '';
    const decoder = new TextDecoder();
    const reader = res.body!.getReader();
    for (let next = await reader.read(); !next.done; next = await reader.read()) {
      chunks += 1;
      text += decoder.decode(next.value, { stream: true });
    }
    const lines = text.trimEnd().split('\r\n');
    expect(lines).toHaveLength(1 + total);
    expect(lines.at(-1)).toContain(`/p/${total - 1}`);
    expect(chunks).toBeGreaterThan(3);
  });
});
