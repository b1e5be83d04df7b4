import autocannon from 'autocannon';
import BetterSqlite3 from 'better-sqlite3';
import pg from 'pg';
import { createTestSchema } from '../testing/test-schema.ts';
import { batchBodies, USER_AGENTS } from './support/payloads.ts';
import { type ServerProcess, startCollector } from './support/processes.ts';
import { type Report, ratio } from './support/report.ts';

export interface PostgresBenchOptions {
  readonly seconds: number;
  readonly connections: number;
  /** Events per SDK batch. */
  readonly batchSize: number;
  /** Environment for every collector under load. */
  readonly env: Record<string, string>;
}

const SITE = 'bench';
/** Distinct visitors the load comes from: each request says which, through X-Forwarded-For. */
const VISITORS = 5000;

/**
 * SDK batches from many visitors (a client address each, given the way a load
 * balancer gives it, in X-Forwarded-For) to the collectors in `targets`,
 * `connections` split between them, all at once. As a balancer that hashes the
 * client address does (the nginx example in docs/postgres.md), each visitor's batches go
 * to one collector. Latency p99 is the worst collector's.
 */
async function loadVisitors(
  targets: readonly ServerProcess[],
  options: PostgresBenchOptions,
): Promise<{ accepted: number; seconds: number; p99Ms: number; statuses: string }> {
  const bodies = batchBodies(SITE, options.batchSize, 500);
  const statuses = new Map<string, number>();
  const runs = await Promise.all(
    targets.map((target, n) => {
      let next = 0;
      return autocannon({
        url: `${target.url}/events`,
        method: 'POST',
        connections: Math.ceil(options.connections / targets.length),
        duration: options.seconds,
        headers: { 'content-type': 'text/plain', 'user-agent': USER_AGENTS[0]! },
        requests: [
          {
            setupRequest: (request) => {
              const i = next++;
              const visitor = (i * targets.length + n) % VISITORS;
              return {
                ...request,
                body: bodies[i % bodies.length],
                headers: { ...request.headers, 'x-forwarded-for': `10.${visitor >> 16}.${(visitor >> 8) & 255}.${visitor & 255}` },
              };
            },
          },
        ],
      });
    }),
  );
  for (const run of runs) {
    for (const [code, stat] of Object.entries(run.statusCodeStats ?? {}))
      statuses.set(code, (statuses.get(code) ?? 0) + Number((stat as { count: number | string }).count));
  }
  return {
    accepted: statuses.get('202') ?? 0,
    seconds: Math.max(...runs.map((r) => r.duration || options.seconds)),
    p99Ms: Math.max(...runs.map((r) => r.latency.p99)),
    statuses: [...statuses].map(([code, n]) => `${n.toLocaleString('en-US')}× ${code}`).join(', '),
  };
}

/** Stops collectors with SIGTERM (each drains its queue first); how long the last took. */
async function drainAll(collectors: readonly ServerProcess[]): Promise<number> {
  const start = performance.now();
  const codes = await Promise.all(collectors.map((c) => c.stop()));
  const failed = codes.findIndex((code) => code !== 0);
  if (failed !== -1)
    throw new Error(`collector exited with ${codes[failed]} after the load:\n${collectors[failed]!.output().slice(-2000)}`);
  return (performance.now() - start) / 1000;
}

interface Measured {
  readonly persisted: number;
  readonly p99Ms: number;
  readonly rows: number;
  readonly events: number;
  readonly note: string;
}

/** One configuration: start its collectors, load them, drain them, count the rows they wrote. */
async function measure(
  count: number,
  env: Record<string, string>,
  countRows: (collector: ServerProcess) => Promise<number>,
  options: PostgresBenchOptions,
): Promise<Measured> {
  const collectors = await Promise.all(
    Array.from({ length: count }, () => startCollector({ ...options.env, TRUST_PROXY: 'true', ...env })),
  );
  try {
    const load = await loadVisitors(collectors, options);
    const drainSeconds = await drainAll(collectors);
    const rows = await countRows(collectors[0]!);
    return {
      persisted: rows / (load.seconds + drainSeconds),
      p99Ms: load.p99Ms,
      rows,
      events: load.accepted * options.batchSize,
      note: `${count} collector(s), ${options.connections} connections, ${load.seconds} s of batches of ${options.batchSize} from ${VISITORS.toLocaleString('en-US')} visitors, queues drained ${drainSeconds.toFixed(2)} s after; answers: ${load.statuses}`,
    };
  } finally {
    await Promise.all(collectors.map((c) => c.dispose()));
  }
}

const sqliteRows = async (collector: ServerProcess) => {
  const db = new BetterSqlite3(collector.databasePath, { readonly: true });
  try {
    return (db.prepare('SELECT count(*) AS n FROM events WHERE site_id = ?').get(SITE) as { n: number }).n;
  } finally {
    db.close();
  }
};

/**
 * Events persisted per second and latency p99 of SDK batches: one collector on
 * SQLite, then one and two collectors sharing one PostgreSQL database (each
 * run in a fresh schema of BENCH_DATABASE_URL, or of TEST_DATABASE_URL). The
 * ratio is against SQLite in the same run; every 202 must be a row.
 */
export async function benchPostgres(report: Report, options: PostgresBenchOptions): Promise<void> {
  const section = 'postgres';
  const base = process.env.BENCH_DATABASE_URL?.trim() || process.env.TEST_DATABASE_URL?.trim() || null;
  const sqlite = await measure(1, {}, sqliteRows, options);
  const figures = (name: string, m: Measured, baseline: Measured | null) => {
    report.figures.push(
      {
        section,
        name: `${name}: events/s persisted`,
        value: m.persisted,
        unit: 'ev/s',
        ...(baseline ? { baseline: { name: 'SQLite ×1', value: baseline.persisted }, ratio: ratio(m.persisted, baseline.persisted) } : {}),
        note: m.note,
      },
      {
        section,
        name: `${name}: latency p99`,
        value: m.p99Ms,
        unit: 'ms',
        ...(baseline ? { baseline: { name: 'SQLite ×1', value: baseline.p99Ms } } : {}),
      },
      {
        section,
        name: `${name}: 202s written`,
        value: m.rows,
        unit: 'rows',
        baseline: { name: 'events in 202s', value: m.events },
        goal: 'every 202 written',
        met: m.rows >= m.events,
      },
    );
  };
  figures('SQLite ×1', sqlite, null);
  if (!base) {
    report.figures.push({
      section,
      name: 'PostgreSQL',
      value: null,
      unit: '',
      note: 'skipped: set BENCH_DATABASE_URL (or TEST_DATABASE_URL) to a PostgreSQL database to create schemas in',
    });
    return;
  }
  for (const count of [1, 2]) {
    const schema = await createTestSchema(base);
    try {
      const pgRows = async () => {
        const client = new pg.Client({ connectionString: schema.url });
        await client.connect();
        try {
          return Number((await client.query('select count(*) as n from events where site_id = $1', [SITE])).rows[0].n);
        } finally {
          await client.end();
        }
      };
      figures(`PostgreSQL ×${count}`, await measure(count, { DATABASE_URL: schema.url }, pgRows, options), sqlite);
    } finally {
      await schema.drop();
    }
  }
}
