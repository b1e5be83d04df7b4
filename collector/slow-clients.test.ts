import { mkdtempSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from './config.ts';
import { silentLog } from './log.ts';
import { HTTP_TIMEOUTS, type HttpTimeouts, type RunningCollector, startCollector } from './server.ts';

// Clients that hold a connection without finishing a request, against the running collector.

/** Time a machine under load may add to a bound before a socket is seen closed. */
const SLACK_MS = 5_000;
/** Bounds short enough for a test to wait them out. */
const SHORT: HttpTimeouts = { headersMs: 1_000, requestMs: 2_000, keepAliveMs: 1_000, checkEveryMs: 200 };

let dir: string;
let collector: RunningCollector;
afterEach(async () => {
  await collector.close();
  rmSync(dir, { recursive: true, force: true });
});

async function start(httpTimeouts?: HttpTimeouts) {
  dir = mkdtempSync(join(tmpdir(), 'footfall-slow-'));
  collector = await startCollector(loadConfig({ PORT: '0', HOST: '127.0.0.1', DATABASE_URL: join(dir, 'footfall.db') }), {
    log: silentLog,
    httpTimeouts,
  });
}

/**
 * Opens a connection, sends `head`, then one byte every 100 ms until the
 * collector closes it; gives up (closed: false) after `giveUpMs`.
 */
function dribble(head: string, giveUpMs: number): Promise<{ closed: boolean; afterMs: number; answer: string }> {
  return new Promise((resolve) => {
    const started = performance.now();
    const socket = connect(collector.port, '127.0.0.1');
    let answer = '';
    const drip = setInterval(() => socket.writable && socket.write('x'), 100);
    const giveUp = setTimeout(() => finish(false), giveUpMs);
    function finish(closed: boolean) {
      clearInterval(drip);
      clearTimeout(giveUp);
      socket.destroy();
      resolve({ closed, afterMs: performance.now() - started, answer });
    }
    socket.on('data', (chunk) => (answer += chunk.toString()));
    socket.on('error', () => {});
    socket.on('close', () => finish(true));
    if (head) socket.write(head);
    else clearInterval(drip);
  });
}

/** While `slow` holds its connection, the collector answers others: a health check and an event. */
async function othersAnswered(): Promise<number[]> {
  const health = await fetch(`${collector.url}/health`);
  const event = await fetch(`${collector.url}/event`, {
    method: 'POST',
    body: JSON.stringify({ site_id: 'shop', event_type: 'pageview', path: '/', timestamp: new Date().toISOString() }),
  });
  return [health.status, event.status];
}

const beaconHead =
  'POST /events HTTP/1.1\r\nHost: collector.test\r\nContent-Type: text/plain\r\nContent-Length: 5000\r\n\r\n{"s":"shop","e":[';

describe('a client that sends a request slowly', () => {
  it.each([
    ["a beacon's body", beaconHead, 'requestMs'],
    ["POST /event's body", 'POST /event HTTP/1.1\r\nHost: collector.test\r\nContent-Length: 5000\r\n\r\n{', 'requestMs'],
    [
      "POST /reports's body",
      'POST /reports HTTP/1.1\r\nHost: collector.test\r\nContent-Type: application/json\r\nContent-Length: 5000\r\n\r\n{',
      'requestMs',
    ],
    ['its headers', 'POST /events HTTP/1.1\r\nHost: collector.test\r\nX-Slow: ', 'headersMs'],
    ['nothing at all', '', 'headersMs'],
  ] as const)(
    'loses its connection within the bound when it dribbles %s, and others are answered meanwhile',
    async (_, head, bound) => {
      await start(SHORT);
      const slow = dribble(head, SHORT[bound] + SLACK_MS + 5_000);
      expect(await othersAnswered()).toEqual([200, 202]);
      const { closed, afterMs, answer } = await slow;
      expect(closed).toBe(true);
      expect(afterMs).toBeLessThan(SHORT[bound] + SLACK_MS);
      if (head) expect(answer).toMatch(/^HTTP\/1\.1 408 /);
      expect(await othersAnswered()).toEqual([200, 202]);
    },
    30_000,
  );

  it('loses an idle kept-alive connection within the bound', async () => {
    await start(SHORT);
    const idle = dribble('GET /health HTTP/1.1\r\nHost: collector.test\r\n\r\n', SHORT.keepAliveMs + SLACK_MS + 5_000);
    const { closed, afterMs, answer } = await idle;
    expect(answer).toMatch(/^HTTP\/1\.1 200 /);
    expect(closed).toBe(true);
    expect(afterMs).toBeLessThan(SHORT.keepAliveMs + SHORT.requestMs + SLACK_MS);
  }, 30_000);

  it('keeps a request whose answer takes longer than the bounds: they time the request, not its answer', async () => {
    dir = mkdtempSync(join(tmpdir(), 'footfall-slow-'));
    const config = loadConfig({ PORT: '0', HOST: '127.0.0.1', DATABASE_URL: join(dir, 'footfall.db'), WRITE_MODE: 'durable' });
    collector = await startCollector(config, { log: silentLog, httpTimeouts: SHORT, writer: { intervalMs: 20 } });
    // Durable mode answers once the event is committed: here, a commit that takes past every bound.
    const insert = collector.store.insertEvents.bind(collector.store);
    collector.store.insertEvents = async (rows) => {
      await new Promise((resolve) => setTimeout(resolve, SHORT.requestMs + SHORT.headersMs));
      return insert(rows);
    };
    const res = await fetch(`${collector.url}/event`, {
      method: 'POST',
      body: JSON.stringify({ site_id: 'shop', event_type: 'pageview', path: '/', timestamp: new Date().toISOString() }),
    });
    expect(res.status).toBe(202);
  }, 30_000);

  it('with the default bounds, loses a connection that dribbles its headers within 10 s', async () => {
    await start();
    expect(HTTP_TIMEOUTS).toEqual({ headersMs: 10_000, requestMs: 20_000, keepAliveMs: 5_000, checkEveryMs: 1_000 });
    const { closed, afterMs, answer } = await dribble(
      'POST /events HTTP/1.1\r\nHost: collector.test\r\nX-Slow: ',
      HTTP_TIMEOUTS.headersMs + SLACK_MS + 5_000,
    );
    expect(closed).toBe(true);
    expect(afterMs).toBeLessThan(HTTP_TIMEOUTS.headersMs + SLACK_MS);
    expect(answer).toMatch(/^HTTP\/1\.1 408 /);
  }, 60_000);
});
