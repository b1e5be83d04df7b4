import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { afterAll, afterEach, beforeAll, beforeEach, expect, it } from 'vitest';
import type { Log } from '../log.ts';
import type { IncomingEvent } from '../store/schema.ts';
import { describeEachStore } from '../../testing/test-stores.ts';
import { createTestCollector, type TestCollector } from '../../testing/test-collector.ts';
import { SIGNATURE_HEADER, signBody } from './deliver.ts';

// Schedules delivered to a real SMTP server and a real HTTP receiver on this
// machine: what arrives is checked, subject, numbers (equal to /stats),
// signature, and one alert per spike.

const DAY = 86_400_000;
const FIRST = Date.parse('2026-02-01T00:00:00Z');
// Wednesday 2026-04-15: the last whole week is 2026-04-06 to 2026-04-12, the last whole month March.
const START = Date.parse('2026-04-15T12:00:00Z');
const SPIKE = '2026-04-15';
const WEEKLY = [60, 64, 62, 58, 50, 30, 26];
const KEY = 'test-key-0123456789';
const auth = { authorization: `Bearer ${KEY}` };

interface Mail {
  raw: string;
  to: string[];
}
interface Hook {
  body: string;
  signature: string | undefined;
}

/** The raw message's decoded text: quoted-printable soft breaks and escapes undone. */
const decoded = (raw: string) =>
  raw.replace(/=\r?\n/g, '').replace(/=([0-9A-F]{2})/g, (_, hex: string) => String.fromCharCode(Number.parseInt(hex, 16)));

describeEachStore('report schedules', (kind) => {
  let smtp: SMTPServer;
  let receiver: Server;
  const mails: Mail[] = [];
  const hooks: Hook[] = [];
  let failing = false;
  let smtpPort = 0;
  let hookUrl = '';
  beforeAll(async () => {
    smtp = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS'],
      logger: false,
      onData(stream, session, callback) {
        let raw = '';
        stream.on('data', (chunk: Buffer) => (raw += chunk.toString('utf8')));
        stream.on('end', () => {
          mails.push({ raw, to: session.envelope.rcptTo.map((r) => r.address) });
          callback();
        });
      },
    });
    await new Promise<void>((resolve) => smtp.listen(0, '127.0.0.1', resolve));
    smtpPort = (smtp.server.address() as AddressInfo).port;
    receiver = createServer((req, res) => {
      let body = '';
      req.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
      req.on('end', () => {
        if (failing) {
          res.writeHead(500).end();
          return;
        }
        hooks.push({ body, signature: req.headers[SIGNATURE_HEADER.toLowerCase()] as string | undefined });
        res.writeHead(204).end();
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    hookUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`;
  });
  afterAll(async () => {
    await new Promise<void>((resolve) => smtp.close(() => resolve()));
    await new Promise<void>((resolve) => receiver.close(() => resolve()));
  });

  let t: TestCollector;
  let clock = START;
  const logged: { level: string; msg: string }[] = [];
  beforeEach(async () => {
    clock = START;
    mails.length = 0;
    hooks.length = 0;
    failing = false;
    logged.length = 0;
    const log: Log = (level, msg) => logged.push({ level, msg });
    t = await createTestCollector({
      now: () => clock,
      kind,
      log,
      reportRetries: { attempts: 3, backoffMs: 5 },
      env: {
        FOOTFALL_SITES: 'shop;tz=Europe/Paris',
        FOOTFALL_API_KEYS: KEY,
        SMTP_URL: `smtp://127.0.0.1:${smtpPort}`,
        REPORTS_FROM: 'Footfall <reports@example.com>',
      },
    });
    const rows: IncomingEvent[] = [];
    for (let d = 0; FIRST + d * DAY <= START; d++) {
      const date = new Date(FIRST + d * DAY).toISOString().slice(0, 10);
      const n = WEEKLY[d % 7]! * (date === SPIKE ? 6 : 1) + ((d * 7919) % 3);
      for (let i = 0; i < n; i++)
        rows.push({
          site_id: 'shop',
          ts: FIRST + d * DAY + 9 * 3_600_000 + i * 10_000,
          type: 'pageview',
          name: 'pageview',
          visitor_id: `d${d}v${i}`,
          path: i % 3 ? '/a' : '/b',
          source: i % 2 ? 'Google' : null,
        });
    }
    await t.store.insertEvents(rows);
  });
  afterEach(() => t.close());

  const schedule = async (body: Record<string, unknown>, headers: Record<string, string> = auth) => {
    const res = await t.app.request('/reports/schedules', {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify({ site_id: 'shop', ...body }),
    });
    return {
      status: res.status,
      body: (await res.json()) as { schedule: { id: string; next_at: string }; secret: string | null; errors?: { field: string }[] },
    };
  };
  const send = async (id: string) => {
    const res = await t.app.request(`/reports/schedules/${id}/send`, { method: 'POST', headers: auth });
    expect(res.status).toBe(200);
    return (await res.json()) as { status: string; attempts: number; subject: string };
  };
  const stats = async (query: string) => {
    const res = await t.app.request(`/stats?site_id=shop&${query}`, { headers: auth });
    return (await res.json()) as { metrics: Record<string, number>; comparison: { change: Record<string, number | null> } };
  };

  it('needs a key, and names each wrong field', async () => {
    expect((await schedule({ kind: 'weekly', channel: 'email', target: 'a@example.com' }, {})).status).toBe(401);
    for (const [body, field] of [
      [{ kind: 'daily', channel: 'email', target: 'a@example.com' }, 'kind'],
      [{ kind: 'weekly', channel: 'email', target: 'not an address' }, 'target'],
      [{ kind: 'weekly', channel: 'webhook', target: 'ftp://example.com/' }, 'target'],
      [{ kind: 'weekly', channel: 'webhook', target: hookUrl, filters: 'nope==1' }, 'filters'],
      [{ kind: 'alerts', channel: 'webhook', target: hookUrl, quiet_hours: 0 }, 'quiet_hours'],
    ] as const) {
      const { status, body: answer } = await schedule(body);
      expect(status, JSON.stringify(body)).toBe(400);
      expect(answer.errors?.[0]?.field).toBe(field);
    }
    const list = await t.app.request('/reports/schedules?site_id=shop', { headers: auth });
    expect(((await list.json()) as { schedules: unknown[] }).schedules).toEqual([]);
  });

  it("emails a weekly digest whose subject and numbers are /stats' for the last whole week", async () => {
    const { status, body } = await schedule({ kind: 'weekly', channel: 'email', target: 'owner@example.com' });
    expect(status).toBe(201);
    // Due next Monday, 06:00 in Paris (summer time: 04:00 UTC).
    expect(body.schedule.next_at).toBe('2026-04-20T04:00:00.000Z');
    expect(body.secret).toBeNull();
    expect((await send(body.schedule.id)).status).toBe('sent');
    expect(mails).toHaveLength(1);
    const week = await stats('from=2026-04-06&to=2026-04-12&compare=previous_period');
    const mail = decoded(mails[0]!.raw);
    expect(mails[0]!.to).toEqual(['owner@example.com']);
    const change = week.comparison.change.visitors!;
    expect(mail).toContain(
      `Subject: shop weekly report: ${week.metrics.visitors} visitors (${change > 0 ? '+' : ''}${change}%), 2026-04-06 to 2026-04-12`,
    );
    expect(mail).toContain(`Visitors: ${week.metrics.visitors!.toLocaleString('en-US')} (`);
    expect(mail).toContain(`Page views: ${week.metrics.pageviews!.toLocaleString('en-US')} (`);
    expect(mail).toMatch(/Content-Type: text\/plain/);
    expect(mail).toMatch(/Content-Type: text\/html/);
    expect(mail).toContain('<svg');
    expect(mail).toContain('/stats?site_id=shop&from=2026-04-06&to=2026-04-12&compare=previous_period');
    // A site without goals: no goals section.
    expect(mail).not.toContain('Goals (from');
  });

  it("lists the site's goals in a digest as /stats/breakdown?by=goal gives them, each section naming its call", async () => {
    for (const goal of [
      { name: 'Page B', page: '/b' },
      { name: 'Never', page: '/nowhere' },
    ]) {
      const res = await t.app.request('/goals', {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...auth },
        body: JSON.stringify({ site_id: 'shop', ...goal }),
      });
      expect(res.status).toBe(201);
    }
    const { body } = await schedule({ kind: 'weekly', channel: 'webhook', target: hookUrl });
    await send(body.schedule.id);
    const payload = JSON.parse(hooks[0]!.body) as { goals: unknown[]; reproduce: Record<string, string> };
    const call = '/stats/breakdown?site_id=shop&from=2026-04-06&to=2026-04-12&by=goal&limit=10';
    expect(payload.reproduce.goals).toBe(call);
    const res = await t.app.request(call, { headers: auth });
    const answer = (await res.json()) as { results: { value: string; visitors: number }[] };
    expect(answer.results.map((r) => r.value)).toEqual(['Page B']);
    expect(answer.results[0]!.visitors).toBeGreaterThan(0);
    expect(payload.goals).toEqual(answer.results);
    // The email says it in words, under the call that gives it; every section names its own.
    const email = await schedule({ kind: 'weekly', channel: 'email', target: 'owner@example.com' });
    await send(email.body.schedule.id);
    const mail = decoded(mails[0]!.raw);
    expect(mail).toContain(`Goals (from ${call}):`);
    expect(mail).toContain(`Page B: ${answer.results[0]!.visitors.toLocaleString('en-US')} visitors`);
    expect(mail).toContain('Top sources (from /stats/breakdown?site_id=shop&from=2026-04-06&to=2026-04-12&by=source&limit=5):');
    expect(mail).toContain('Top pages (from /stats?site_id=shop&from=2026-04-06&to=2026-04-12 (top_paths)):');
  });

  it('posts a signed monthly digest whose numbers are /stats for last month', async () => {
    const { body } = await schedule({ kind: 'monthly', channel: 'webhook', target: hookUrl });
    expect(body.secret).toMatch(/^[\w-]{32}$/);
    await send(body.schedule.id);
    expect(hooks).toHaveLength(1);
    const hook = hooks[0]!;
    expect(hook.signature).toBe(signBody(body.secret!, hook.body));
    expect(hook.signature).not.toBe(signBody('another secret', hook.body));
    const payload = JSON.parse(hook.body) as { text: string; metrics: Record<string, unknown>; range: { from: string; to: string } };
    expect(payload.range).toMatchObject({ from: '2026-03-01', to: '2026-03-31' });
    const march = await stats('from=2026-03-01&to=2026-03-31');
    expect(payload.metrics).toEqual(march.metrics);
    expect(payload.text).toMatch(/^\*shop monthly report: /);
  });

  it('sends one alert for a spike, and none within the quiet period', async () => {
    const { body } = await schedule({ kind: 'alerts', channel: 'webhook', target: hookUrl, quiet_hours: 48 });
    // Due at half past each hour: 14:30 in Paris. At 00:30 the day after (2026-04-15T22:30Z), the spike's day is over.
    expect(body.schedule.next_at).toBe('2026-04-15T12:30:00.000Z');
    expect(await t.reports.runDue()).toEqual([]);
    clock = Date.parse('2026-04-15T22:31:00Z');
    const [first] = await t.reports.runDue();
    expect(first?.status).toBe('sent');
    expect(await t.reports.runDue()).toEqual([]);
    expect(hooks).toHaveLength(1);
    const alert = JSON.parse(hooks[0]!.body) as { text: string; date: string; findings: { kind: string; numbers: { value: number } }[] };
    expect(alert.date).toBe(SPIKE);
    expect(alert.findings.map((f) => f.kind)).toEqual(['spike']);
    const day = await stats(`date=${SPIKE}`);
    expect(alert.findings[0]!.numbers.value).toBe(day.metrics.visitors);
    expect(alert.text).toContain(`spike in visitors on ${SPIKE}`);
    // The next day has no events: a drop, but within the 48 quiet hours.
    clock += DAY;
    expect((await t.reports.runDue()).map((r) => [r.status, r.error])).toEqual([['skipped', 'within the quiet period']]);
    expect(hooks).toHaveLength(1);
  });

  it("sends one alert for an hour's spike, checked hourly, and none for its next hour or its day", async () => {
    await schedule({ kind: 'alerts', channel: 'webhook', target: hookUrl });
    // Thursday 2026-04-16: the usual morning, and 16:00–18:00 in Paris (14:00–16:00Z), always empty before, 150 visitors an hour.
    const rows: IncomingEvent[] = [];
    const d = (Date.parse('2026-04-16T00:00:00Z') - FIRST) / DAY;
    for (let i = 0; i < WEEKLY[d % 7]!; i++)
      rows.push({
        site_id: 'shop',
        ts: FIRST + d * DAY + 9 * 3_600_000 + i * 10_000,
        type: 'pageview',
        name: 'pageview',
        visitor_id: `d${d}v${i}`,
        path: '/a',
      });
    for (let i = 0; i < 300; i++)
      rows.push({
        site_id: 'shop',
        ts: Date.parse('2026-04-16T14:00:00Z') + i * 24_000,
        type: 'pageview',
        name: 'pageview',
        visitor_id: `s${i}`,
        path: '/a',
      });
    clock = Date.parse('2026-04-16T14:31:00Z');
    // The hour before 16:00 was empty, as ever: nothing to say.
    expect((await t.reports.runDue()).map((r) => r.status)).toEqual(['skipped']);
    await t.store.insertEvents(rows);
    clock = Date.parse('2026-04-16T15:31:00Z');
    expect((await t.reports.runDue()).map((r) => r.status)).toEqual(['sent']);
    expect(hooks).toHaveLength(1);
    const alert = JSON.parse(hooks[0]!.body) as {
      text: string;
      findings: { kind: string; numbers: { hour: string; value: number; upper_95: number }; reproduce: string[] }[];
    };
    expect(alert.findings.map((f) => [f.kind, f.numbers.hour])).toEqual([['spike', '2026-04-16T16:00']]);
    expect(alert.text).toContain('spike in visitors at 2026-04-16 16:00');
    // Its number is the read API's: the hour's visitors in /stats/timeseries?interval=hour.
    const series = (await (await t.app.request(alert.findings[0]!.reproduce[0]!, { headers: auth })).json()) as {
      results: { date: string; visitors: number }[];
    };
    expect(series.results.find((r) => r.date.startsWith('2026-04-16T16'))?.visitors).toBe(alert.findings[0]!.numbers.value);
    expect(alert.findings[0]!.numbers.value).toBe(150);
    // The spike's second hour: within the quiet period. Its day, checked after midnight: already told.
    clock = Date.parse('2026-04-16T16:31:00Z');
    expect((await t.reports.runDue()).map((r) => [r.status, r.error])).toEqual([['skipped', 'within the quiet period']]);
    clock = Date.parse('2026-04-16T22:31:00Z');
    expect((await t.reports.runDue()).map((r) => r.status)).toEqual(['skipped']);
    expect(hooks).toHaveLength(1);
  });

  it('retries a failing delivery with backoff, logs and counts it, then gives up', async () => {
    const { body } = await schedule({ kind: 'weekly', channel: 'webhook', target: hookUrl });
    failing = true;
    expect(await send(body.schedule.id)).toMatchObject({ status: 'failed', attempts: 3 });
    expect(logged.filter((l) => l.msg.startsWith('report delivery failed')).map((l) => l.level)).toEqual(['warn', 'warn', 'error']);
    const metrics = await (await t.app.request('/metrics')).text();
    expect(metrics).toContain('footfall_report_deliveries_total{channel="webhook",outcome="failed"} 1');
    expect(metrics).toContain('footfall_report_delivery_failures_total{channel="webhook"} 3');
    failing = false;
    expect(await send(body.schedule.id)).toMatchObject({ status: 'sent', attempts: 1 });
    const detail = await t.app.request(`/reports/schedules/${body.schedule.id}`, { headers: auth });
    expect(((await detail.json()) as { deliveries: { status: string }[] }).deliveries.map((d) => d.status).sort()).toEqual([
      'failed',
      'sent',
    ]);
  });
});
