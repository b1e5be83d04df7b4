import { mkdtempSync, rmSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../config.ts';
import { type RunningCollector, startCollector } from '../server.ts';
import { BROWSER_UA } from '../../testing/test-collector.ts';
import { batchCases, type FuzzCase, SITE, singleEventCases } from '../../testing/fuzz-payloads.ts';
import { LIMITS } from './wire.ts';

// Generated requests, good and bad, against the collector as it runs: a real
// HTTP server and a real SQLite file. FUZZ_RUNS sets how many per endpoint
// (10,000 by default), FUZZ_SEED replays a run.

const RUNS = Number(process.env.FUZZ_RUNS ?? 10_000);
const SEED = Number(process.env.FUZZ_SEED ?? Date.now() % 2 ** 31);
const CONCURRENCY = 16;
const OTHER = 'other';

let dir: string;
let collector: RunningCollector;
/** Every name the collector said it took, in no order. */
const expected: string[] = [];

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'footfall-fuzz-'));
  const config = loadConfig({
    PORT: '0',
    HOST: '127.0.0.1',
    DATABASE_URL: join(dir, 'footfall.db'),
    FOOTFALL_SITES: `${SITE}, ${OTHER};tz=America/New_York`,
    RATE_LIMIT: 'off',
  });
  collector = await startCollector(config, { log: () => {}, writer: { intervalMs: 50 } });
  // Another site's events, whose numbers nothing sent to the first may change.
  for (const timestamp of ['1970-01-01T00:00:00Z', new Date(Date.now() - 3_600_000).toISOString()]) {
    const res = await fetch(`${collector.url}/event`, {
      method: 'POST',
      body: JSON.stringify({ site_id: OTHER, event_type: 'pageview', path: '/kept', user_id: 'u1', timestamp }),
      headers: { 'user-agent': BROWSER_UA },
    });
    expect(res.status).toBe(202);
  }
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

interface Outcome {
  readonly status: number;
  readonly body: unknown;
}

/**
 * Sends a case on a connection of its own (`Connection: close`): a kept-alive
 * connection that the server closes after an idle spell, while the client
 * reuses it, is reset in flight (a race of HTTP/1.1 itself, which browsers
 * retry), and this suite judges answers, not that race.
 */
function send(path: string, c: FuzzCase): Promise<Outcome> {
  return new Promise((resolve, reject) => {
    const body = Buffer.from(c.body);
    const req = request(`${collector.url}${path}`, {
      method: 'POST',
      agent: false,
      headers: { 'content-type': c.contentType, 'user-agent': BROWSER_UA, 'content-length': body.length, connection: 'close' },
      timeout: 60_000,
    });
    req.on('timeout', () => req.destroy(new Error('no answer within 60 s')));
    req.on('error', reject);
    req.on('response', (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('error', reject);
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        let parsed: unknown = text;
        try {
          parsed = JSON.parse(text);
        } catch {
          // Checked below: every answer with a body is JSON.
        }
        resolve({ status: res.statusCode ?? 0, body: parsed });
      });
    });
    req.end(body);
  });
}

/** What is wrong with the collector's answer to a case, or null. */
function judge(c: FuzzCase, { status, body }: Outcome): string | null {
  if (status === 503) return null; // backpressure: nothing promised, nothing counted
  if (status >= 500) return `answered ${status}`;
  if (typeof body !== 'object' || body === null) return `answered ${status} with a body that is not JSON: ${String(body).slice(0, 200)}`;
  const answer = body as {
    accepted?: number;
    rejected?: { index: number; field: string; reason: string }[];
    errors?: { field: string; reason: string }[];
  };
  if (status >= 400) {
    if (!c.refusedWhole) return `refused (${status}) what it must take: ${JSON.stringify(answer).slice(0, 300)}`;
    if (status !== 400 && status !== 413) return `refused with ${status}, not 400 or 413`;
    const errors = answer.errors ?? [];
    if (
      errors.length === 0 ||
      errors.some((e) => !(typeof e.field === 'string' && e.field.length > 0 && typeof e.reason === 'string' && e.reason.length > 0))
    ) {
      return `a ${status} that names no field and reason: ${JSON.stringify(answer).slice(0, 300)}`;
    }
    return null;
  }
  if (c.refusedWhole) return `took (${status}) what it must refuse`;
  if (status !== 202) return `answered ${status}, not 202`;
  if (answer.accepted !== undefined && answer.accepted !== c.stored.length) return `took ${answer.accepted} events, not ${c.stored.length}`;
  const refused = [...new Set((answer.rejected ?? []).map((r) => r.index))];
  if (JSON.stringify(refused) !== JSON.stringify(c.refused))
    return `refused events ${JSON.stringify(refused)}, not ${JSON.stringify(c.refused)}`;
  if ((answer.rejected ?? []).some((r) => !r.field.startsWith(`e[${r.index}]`) || r.reason.length === 0))
    return `a refused event without its field and reason: ${JSON.stringify(answer.rejected)}`;
  expected.push(...c.stored);
  return null;
}

/** Sends every case, some at once; the failures, each with its case. */
async function run(path: string, cases: readonly FuzzCase[]): Promise<string[]> {
  const failures: string[] = [];
  let next = 0;
  const worker = async () => {
    while (next < cases.length) {
      const c = cases[next++]!;
      const wrong = await send(path, c).then(
        (outcome) => judge(c, outcome),
        // A body past the limit may be answered 413 and closed before the client has sent it all: the
        // client then sees the reset, not the answer. Nothing of it may be stored, which the last test checks.
        (error: NodeJS.ErrnoException) =>
          c.refusedWhole && Buffer.from(c.body).length > LIMITS.bodyBytes && (error.code === 'ECONNRESET' || error.code === 'EPIPE')
            ? null
            : `no answer: ${error.message}`,
      );
      if (wrong) failures.push(`${c.what} (${c.contentType}): ${wrong}\n  body: ${Buffer.from(c.body).toString('utf8').slice(0, 300)}`);
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  return failures;
}

describe(`the collector under ${RUNS} generated requests per endpoint (seed ${SEED})`, () => {
  it('POST /events: a mixed batch keeps its good events and refuses its bad ones by index; a bad batch is refused whole, naming the field', async () => {
    const failures = await run('/events', fc.sample(batchCases, { numRuns: RUNS, seed: SEED }));
    expect(failures.slice(0, 5)).toEqual([]);
  }, 600_000);

  it('POST /event: a good event is taken, a bad one refused with its field and reason', async () => {
    const failures = await run('/event', fc.sample(singleEventCases(Date.now()), { numRuns: RUNS, seed: SEED + 1 }));
    expect(failures.slice(0, 5)).toEqual([]);
  }, 600_000);

  it('is still up, nothing leaked into objects, and the database holds exactly the events it took', async () => {
    expect((await fetch(`${collector.url}/health`)).status).toBe(200);
    expect((await fetch(`${collector.url}/ready`)).status).toBe(200);
    // Every site still reads: the other one exactly as before, over all time and over every day the read API takes.
    const read = async (query: string) => {
      const res = await fetch(`${collector.url}/stats?${query}`);
      expect(res.status, query).toBe(200);
      return (await res.json()) as { metrics: { pageviews: number } };
    };
    // 1970-01-01T00:00Z is 1969-12-31 in New York: all time holds it, days from 1970-01-01 do not.
    for (const [range, pageviews] of [
      ['', 2],
      ['&filters=page~kept;page!=x', 2],
      ['&from=1970-01-01&to=9999-12-31', 1],
      ['&from=1970-01-01&to=9999-12-31&filters=page~kept;page!=x', 1],
    ] as const) {
      expect((await read(`site_id=${OTHER}${range}`)).metrics.pageviews, range).toBe(pageviews);
      await read(`site_id=${SITE}${range}`);
    }
    expect((await fetch(`${collector.url}/sites`)).status).toBe(200);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    await collector.close();
    const db = new Database(join(dir, 'footfall.db'), { readonly: true });
    try {
      const names = (db.prepare('select name from events where site_id = ?').pluck().all(SITE) as string[]).sort();
      expect(names.length).toBe(expected.length);
      expect(names).toEqual([...expected].sort());
    } finally {
      db.close();
    }
  }, 120_000);
});
