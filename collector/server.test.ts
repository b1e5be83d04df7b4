import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadConfig } from './config.ts';
import { LIMITS } from './ingest/wire.ts';
import { jsonLog } from './log.ts';
import { type RunningCollector, startCollector } from './server.ts';
import { BROWSER_UA } from '../testing/test-collector.ts';

// The collector as it runs: a real HTTP server on a free port, beacons served by
// the direct node:http path, everything else by the app.

let dir: string;
let collector: RunningCollector;
let logged = '';

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'footfall-server-'));
  logged = '';
  const config = loadConfig({
    PORT: '0',
    HOST: '127.0.0.1',
    DATABASE_URL: join(dir, 'footfall.db'),
    FOOTFALL_SITES: 'shop;domains=shop.test, open',
    FOOTFALL_EVENTS_PATH: '/api/collect',
  });
  collector = await startCollector(config, { log: jsonLog((text) => void (logged += text)), writer: { intervalMs: 20 } });
});
afterEach(async () => {
  await collector.close();
  rmSync(dir, { recursive: true, force: true });
});

const post = (path: string, body: string, headers: Record<string, string> = {}) =>
  fetch(`${collector.url}${path}`, {
    method: 'POST',
    body,
    headers: { 'content-type': 'text/plain', 'user-agent': BROWSER_UA, ...headers },
  });
const rows = () => collector.store.db.selectFrom('events').select(['site_id', 'path', 'browser']).orderBy('id').execute();

describe('the running collector', () => {
  it('takes beacons and seed events over HTTP and writes them', async () => {
    const batch = await post('/events', JSON.stringify({ s: 'open', e: [{ n: 'pageview', u: 'https://a.test/x', a: 0 }] }));
    expect(batch.status).toBe(202);
    expect(batch.headers.get('content-type')).toBe('application/json');
    expect(batch.headers.get('access-control-allow-origin')).toBe('*');
    expect(await batch.json()).toEqual({ status: 'success', accepted: 1, ignored: 0, rejected: [] });
    const single = await post(
      '/event?from=server',
      JSON.stringify({ site_id: 'open', event_type: 'page_view', path: '/y', timestamp: new Date().toISOString() }),
      {
        'content-type': 'application/json',
      },
    );
    expect(single.status).toBe(202);
    expect(await single.json()).toEqual({ status: 'success', message: 'Event queued for processing' });
    await expect.poll(rows).toEqual([
      { site_id: 'open', path: '/x', browser: 'Chrome' },
      { site_id: 'open', path: '/y', browser: 'Chrome' },
    ]);
  });

  it('takes batches at the renamed endpoint path too (also after a doubled slash), recorded under /events', async () => {
    const res = await post('/api/collect', JSON.stringify({ s: 'open', e: [{ n: 'pageview', u: 'https://a.test/renamed', a: 0 }] }));
    expect(res.status).toBe(202);
    expect(
      (await post('//api/collect', JSON.stringify({ s: 'open', e: [{ n: 'pageview', u: 'https://a.test/slashed', a: 0 }] }))).status,
    ).toBe(202);
    await expect.poll(rows).toEqual([
      { site_id: 'open', path: '/renamed', browser: 'Chrome' },
      { site_id: 'open', path: '/slashed', browser: 'Chrome' },
    ]);
    const metrics = await (await fetch(`${collector.url}/metrics`)).text();
    expect(metrics).toContain('footfall_http_request_duration_seconds_count{method="POST",route="/events",status="202"} 2');
  });

  it("answers Plausible's and Umami's routes on the direct path as the app does, recorded under their routes", async () => {
    const plausible = await post('/api/event', JSON.stringify({ n: 'pageview', u: 'https://shop.test/p' }), {
      origin: 'https://shop.test',
    });
    expect(plausible.status).toBe(202);
    expect(plausible.headers.get('content-type')).toBe('text/plain; charset=UTF-8');
    expect(await plausible.text()).toBe('ok');
    const umami = await post(
      '/api/send',
      JSON.stringify({ type: 'event', payload: { website: '7c1e2b5a-3d4f-4a6b-9c8d-0e1f2a3b4c5d', url: '/u' } }),
    );
    expect(umami.status).toBe(400);
    expect(await umami.json()).toEqual({ error: { message: 'Website not found.', code: 'bad-request', status: 400 } });
    const preflight = await fetch(`${collector.url}/api/send`, { method: 'OPTIONS', headers: { origin: 'https://shop.test' } });
    expect(preflight.headers.get('access-control-allow-headers')).toBe('Content-Type, X-Umami-Cache');
    await expect.poll(rows).toEqual([{ site_id: 'shop', path: '/p', browser: 'Chrome' }]);
    const metrics = await (await fetch(`${collector.url}/metrics`)).text();
    expect(metrics).toContain('footfall_http_request_duration_seconds_count{method="POST",route="/api/event",status="202"} 1');
  });

  it('answers bad input, other origins, preflights and oversized streamed bodies as the app does', async () => {
    const invalid = await post('/events', '{"s":"open","e":[]}');
    expect(invalid.status).toBe(400);
    expect(await invalid.json()).toMatchObject({ errors: [{ field: 'e', reason: 'events: is empty' }] });
    const unknown = await post('/event', JSON.stringify({ site_id: 'nope', event_type: 'x', timestamp: new Date().toISOString() }));
    expect(await unknown.json()).toMatchObject({ errors: [{ field: 'site_id', reason: 'unknown site' }] });
    const foreign = await post('/events', JSON.stringify({ s: 'shop', e: [{ n: 'pageview', a: 0 }] }), { origin: 'https://copycat.test' });
    expect(foreign.status).toBe(403);
    const preflight = await fetch(`${collector.url}/events`, {
      method: 'OPTIONS',
      headers: { origin: 'https://shop.test', 'access-control-request-method': 'POST' },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-origin')).toBe('*'); // "open" lists no domains
    expect(await chunkedPost('/events', 'x'.repeat(LIMITS.bodyBytes + 10))).toMatchObject({ status: 413 });
    expect(await rows()).toEqual([]);
  });

  it("answers an app route's oversized body 413 and keeps the connection for the next request", async () => {
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    try {
      const over = await chunkedPost('/reports', 'x'.repeat(1024 * 1024), agent);
      expect(over).toMatchObject({ status: 413, reused: false });
      expect(JSON.parse(over.body)).toMatchObject({ errors: [{ field: 'body', reason: 'larger than 16384 bytes' }] });
      const next = await chunkedPost(
        '/reports',
        JSON.stringify({ site_id: 'open', start_date: '2026-11-01', end_date: '2026-11-02', metrics: ['visitors'] }),
        agent,
        'application/json',
      );
      expect(next).toMatchObject({ status: 200, reused: true });
    } finally {
      agent.destroy();
    }
  });

  it('serves every other route from the app, and records beacons in /metrics and the log', async () => {
    await post('/events', JSON.stringify({ s: 'open', e: [{ n: 'pageview', a: 0 }] }));
    expect((await fetch(`${collector.url}/health`)).status).toBe(200);
    const metrics = await (await fetch(`${collector.url}/metrics`)).text();
    expect(metrics).toContain('footfall_http_request_duration_seconds_count{method="POST",route="/events",status="202"} 1');
    expect(metrics).toContain('footfall_http_request_duration_seconds_count{method="GET",route="/health",status="200"} 1');
    expect(metrics).toContain('footfall_process_resident_memory_bytes');
    await new Promise((resolve) => setImmediate(resolve));
    expect(logged).toMatch(/"msg":"request","method":"POST","route":"\/events","status":202/);
  });

  it('refuses to start on a geo file that is not one, naming the variable, before touching the database', async () => {
    const databasePath = join(dir, 'never.db');
    const config = loadConfig({ PORT: '0', DATABASE_URL: databasePath, GEOIP_CITY_DB: new URL(import.meta.url).pathname });
    await expect(startCollector(config, { log: () => {} })).rejects.toThrow(/^GEOIP_CITY_DB: .* is not a MaxMind DB file/);
    expect(existsSync(databasePath)).toBe(false);
  });

  it('writes what it accepted when it closes, for the next start to find', async () => {
    const res = await post('/events', JSON.stringify({ s: 'open', e: [{ n: 'pageview', u: 'https://a.test/last', a: 0 }] }));
    expect(res.status).toBe(202);
    await collector.close();
    await expect(fetch(`${collector.url}/health`)).rejects.toThrow();
    const reopened = await startCollector(loadConfig({ PORT: '0', HOST: '127.0.0.1', DATABASE_URL: join(dir, 'footfall.db') }), {
      log: () => {},
    });
    try {
      expect(await reopened.store.db.selectFrom('events').select('path').execute()).toEqual([{ path: '/last' }]);
    } finally {
      await reopened.close();
    }
  });
});

/** A POST without Content-Length (chunked), as a client streaming a body sends it. */
/** A POST whose body is sent in chunks without a Content-Length; `reused`: it went over a connection kept from before. */
function chunkedPost(
  path: string,
  body: string,
  agent?: Agent,
  type = 'text/plain',
): Promise<{ status: number; body: string; reused: boolean }> {
  return new Promise((resolve, reject) => {
    const url = new URL(path, collector.url);
    const req = request(url, { method: 'POST', agent, headers: { 'content-type': type, 'user-agent': BROWSER_UA } }, (res) => {
      let text = '';
      res.on('data', (chunk) => (text += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text, reused: req.reusedSocket }));
    });
    req.on('error', reject);
    for (let i = 0; i < body.length; i += 8192) req.write(body.slice(i, i + 8192));
    req.end();
  });
}
