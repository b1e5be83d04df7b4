import { mkdtempSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../config.ts';
import { silentLog } from '../log.ts';
import { type RunningCollector, startCollector } from '../server.ts';
import { BROWSER_UA } from '../../testing/test-collector.ts';

// Tracked links on the collector as it runs: a real HTTP server on a free port.

const KEY = 'links-server-key-000000001';
let dir: string;
let collector: RunningCollector;

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'footfall-links-'));
  const config = loadConfig({
    PORT: '0',
    HOST: '127.0.0.1',
    DATABASE_URL: join(dir, 'footfall.db'),
    FOOTFALL_SITES: 'shop',
    FOOTFALL_API_KEYS: KEY,
  });
  collector = await startCollector(config, { log: silentLog, writer: { intervalMs: 20 } });
  const res = await fetch(`${collector.url}/links`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${KEY}` },
    body: JSON.stringify({ site_id: 'shop', target_url: 'https://shop.example/spring', code: 'spring', utm: { campaign: 'spring' } }),
  });
  expect(res.status).toBe(201);
});
afterEach(async () => {
  await collector.close();
  rmSync(dir, { recursive: true, force: true });
});

/** Sends a request exactly as written, byte for byte, and returns the response head. */
function raw(requestLine: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(collector.port, '127.0.0.1', () => {
      socket.write(`${requestLine}\r\nHost: 127.0.0.1\r\nUser-Agent: ${BROWSER_UA}\r\nConnection: close\r\n\r\n`);
    });
    let text = '';
    socket.on('data', (chunk) => (text += chunk.toString('latin1')));
    socket.on('end', () => resolve(text.split('\r\n\r\n')[0] ?? ''));
    socket.on('error', reject);
  });
}

describe('tracked links over HTTP', () => {
  it('redirects, and the click is written and counted', async () => {
    const res = await fetch(`${collector.url}/l/spring`, {
      redirect: 'manual',
      headers: { 'user-agent': BROWSER_UA, referer: 'https://mail.google.com/' },
    });
    expect(res.status).toBe(302);
    expect(res.headers.get('location')).toBe('https://shop.example/spring?utm_campaign=spring');
    await expect
      .poll(async () => {
        const stats = await fetch(`${collector.url}/stats/links?site_id=shop&period=day`, { headers: { authorization: `Bearer ${KEY}` } });
        return ((await stats.json()) as { links: { code: string; clicks: { today: number }; top_referrers: unknown[] }[] }).links[0];
      })
      .toMatchObject({ code: 'spring', clicks: { today: 1 }, top_referrers: [{ value: 'https://mail.google.com/', clicks: 1 }] });
  });

  it.each([
    'GET /l/spring%0d%0aLocation:%20https://evil.example HTTP/1.1',
    'GET /l/%2F%2Fevil.example HTTP/1.1',
    'GET //evil.example/l/spring/.. HTTP/1.1',
    'GET /l/%5Cevil.example HTTP/1.1',
    'GET /l/spring%E2%80%A8 HTTP/1.1',
  ])('answers "%s" without a redirect anywhere', async (line) => {
    const head = await raw(line);
    expect(head).toMatch(/^HTTP\/1\.1 (400|404)/);
    expect(head.toLowerCase()).not.toContain('location:');
    expect(head).not.toContain('evil');
  });

  it('sends a bare line break in a request line nowhere', async () => {
    const head = await raw('GET /l/spring\nLocation: https://evil.example HTTP/1.1');
    expect(head.toLowerCase()).not.toMatch(/location: https:\/\/evil/);
  });
});
