import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { jsonLog } from './log.ts';
import { createTestCollector } from '../testing/test-collector.ts';

// A raw IP address is never written anywhere: not in the database, not in the logs, not in the metrics.

const SOCKET_IP = '198.51.100.77';
const FORWARDED_IP = '8.8.4.4';
const IPV6 = '2001:db8:85a3::8a2e:370:7334';

function bytesOf(ip: string): Buffer[] {
  const forms = [Buffer.from(ip), Buffer.from(ip, 'utf16le')];
  if (ip.includes('.')) forms.push(Buffer.from(ip.split('.').map(Number)));
  return forms;
}

describe('client addresses', () => {
  it('are not in the SQLite files, the log lines or /metrics', async () => {
    let logged = '';
    const log = jsonLog((text) => {
      logged += text;
    });
    const addresses = [SOCKET_IP, FORWARDED_IP, IPV6];
    for (const [i, socketIp] of [SOCKET_IP, IPV6].entries()) {
      const t = await createTestCollector({ clientIp: socketIp, env: { TRUST_PROXY: 'true', LOG_REQUESTS: 'true' }, log });
      const files = [t.databasePath, `${t.databasePath}-wal`, `${t.databasePath}-shm`];
      try {
        const events = [{ n: 'pageview', u: 'https://shop.test/', r: 'https://www.google.com/', a: 0 }];
        expect((await t.post('/events', { s: 's1', e: events })).status).toBe(202);
        if (i === 0) expect((await t.post('/events', { s: 's1', e: events }, { 'x-forwarded-for': FORWARDED_IP })).status).toBe(202);
        expect((await t.post('/event', { site_id: 's1', event_type: 'Signup', timestamp: '2026-01-01T00:00:00Z' })).status).toBe(202);
        expect((await t.post('/events', { s: 's1', e: events }, { 'user-agent': 'Googlebot/2.1' })).status).toBe(200);
        expect((await t.post('/events', '{"broken')).status).toBe(400);
        await t.flush();
        expect(await t.store.db.selectFrom('events').select('id').execute()).toHaveLength(i === 0 ? 3 : 2);
        // Awaited first: `logged += await …` would read `logged` before the log lines written meanwhile.
        const metrics = await (await t.app.request('/metrics')).text();
        logged += metrics;
        const ready = await (await t.app.request('/ready')).text();
        logged += ready;
        for (const file of files.filter((f) => existsSync(f))) {
          const bytes = readFileSync(file);
          for (const ip of addresses) for (const form of bytesOf(ip)) expect(bytes.includes(form), `${ip} in ${file}`).toBe(false);
        }
      } finally {
        await t.close();
      }
    }
    log.flush();
    expect(logged).toContain('"msg":"request"');
    expect(logged).toContain('"msg":"flush"');
    for (const ip of addresses) expect(logged).not.toContain(ip);
  });
});
