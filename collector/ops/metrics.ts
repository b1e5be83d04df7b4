import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';
import { BOT_REASONS, type BotReason } from '../ingest/enrich/bots.ts';
import { INGEST_FORMATS, type IngestFormat } from '../ingest/foreign.ts';
import { type IngestMeter, REJECT_REASONS, type RejectReason } from '../ingest/meter.ts';
import type { RollUpStatus } from '../store/roll-up-isolation.ts';

/** What the metrics read when scraped, rather than being told on every request. */
export interface MetricSources {
  readonly queueEvents: () => number;
  readonly queueBytes: () => number;
  readonly queueMaxEvents: number;
  readonly queueMaxBytes: number;
  readonly writerHealthy: () => boolean;
  readonly rollUpStatus: () => Promise<RollUpStatus>;
}

export interface Metrics extends IngestMeter {
  readonly registry: Registry;
  /** A transaction written by the writer. */
  flushed(rows: number, ms: number): void;
  /** A transaction the store refused. */
  flushFailed(): void;
  /** One HTTP request answered, by route pattern (never a raw path) and status. */
  request(method: string, route: string, status: number, ms: number): void;
  /** Raw rows the retention job deleted, by table. */
  retentionDeleted(rows: { events: number; visits: number; visitRuns: number; visitorDays: number }): void;
}

/**
 * Prometheus metrics in a registry of their own (none global). Hot-path
 * counters are resolved once per label set and kept, so a request costs a few
 * additions; queue gauges are read at scrape time.
 */
export function createMetrics(sources: MetricSources, options: { processMetrics?: boolean } = {}): Metrics {
  const registry = new Registry();
  // Memory, CPU and event-loop lag of the process: for the running collector, not for every test app.
  if (options.processMetrics) collectDefaultMetrics({ register: registry, prefix: 'footfall_' });

  const accepted = new Counter({
    name: 'footfall_events_accepted_total',
    help: 'Events answered with 202 and queued for writing.',
    registers: [registry],
  });
  const acceptedFormats = new Counter({
    name: 'footfall_events_accepted_by_format_total',
    help: "Events queued, by the wire format they came in: Footfall's own, or Plausible's or Umami's tracker.",
    labelNames: ['format'],
    registers: [registry],
  });
  const rejected = new Counter({
    name: 'footfall_events_rejected_total',
    help: 'Events refused, by reason (a request refused before its events were read counts one).',
    labelNames: ['reason'],
    registers: [registry],
  });
  const bots = new Counter({
    name: 'footfall_events_bot_dropped_total',
    help: 'Events from bots, not stored, by reason.',
    labelNames: ['reason'],
    registers: [registry],
  });
  const written = new Counter({ name: 'footfall_events_written_total', help: 'Events written to the database.', registers: [registry] });
  const flushFailures = new Counter({
    name: 'footfall_flush_failures_total',
    help: 'Transactions the database refused (their events stay queued).',
    registers: [registry],
  });
  const flushSeconds = new Histogram({
    name: 'footfall_flush_duration_seconds',
    help: 'Time to write one transaction of queued events.',
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers: [registry],
  });
  const retentionRows = new Counter({
    name: 'footfall_retention_deleted_rows_total',
    help: 'Raw rows deleted for being older than RETENTION_DAYS, by table (rollups keep their totals).',
    labelNames: ['table'],
    registers: [registry],
  });
  const requestSeconds = new Histogram({
    name: 'footfall_http_request_duration_seconds',
    help: 'Time to answer an HTTP request, by method, route and status.',
    labelNames: ['method', 'route', 'status'],
    buckets: [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.5, 1],
    registers: [registry],
  });
  new Gauge({
    name: 'footfall_queue_events',
    help: 'Events queued, waiting to be written.',
    registers: [registry],
    collect() {
      this.set(sources.queueEvents());
    },
  });
  new Gauge({
    name: 'footfall_queue_bytes',
    help: 'Request bytes the queued events stand for.',
    registers: [registry],
    collect() {
      this.set(sources.queueBytes());
    },
  });
  new Gauge({
    name: 'footfall_queue_max_events',
    help: 'Queue limit in events; past it, ingestion answers 503.',
    registers: [registry],
  }).set(sources.queueMaxEvents);
  new Gauge({ name: 'footfall_queue_max_bytes', help: 'Queue limit in bytes; past it, ingestion answers 503.', registers: [registry] }).set(
    sources.queueMaxBytes,
  );
  new Gauge({
    name: 'footfall_writer_healthy',
    help: '1 while the database accepts writes, 0 from a refused transaction until the next success.',
    registers: [registry],
    collect() {
      this.set(sources.writerHealthy() ? 1 : 0);
    },
  });

  new Gauge({
    name: 'footfall_rollup_failing',
    help: '1 while the roll-up fails as a whole (stats reads, which roll up first, fail with it), else 0.',
    registers: [registry],
    async collect() {
      this.set((await sources.rollUpStatus().catch(() => ({ failing: 'unknown' }))).failing === null ? 0 : 1);
    },
  });
  new Gauge({
    name: 'footfall_rollup_set_aside_ranges',
    help: 'Ranges of events the roll-up could not count and set aside (kept; counted again at start or by a rebuild), by site.',
    labelNames: ['site'],
    registers: [registry],
    async collect() {
      this.reset();
      const status = await sources.rollUpStatus().catch(() => null);
      this.set(status?.setAside.reduce((sum, s) => sum + s.ranges, 0) ?? 0);
      for (const s of status?.setAside ?? []) this.labels(s.siteId).set(s.ranges);
    },
  });

  // Every label value is known up front, so series show as 0 before the first event.
  const series = <T extends string>(counter: Counter<string>, values: readonly T[]) =>
    new Map(
      values.map((value) => {
        const child = counter.labels(value);
        child.inc(0);
        return [value, child] as const;
      }),
    );
  const rejectedBy = series(rejected, REJECT_REASONS);
  const acceptedBy = series(acceptedFormats, INGEST_FORMATS);
  const botsBy = series(bots, BOT_REASONS);
  const retentionBy = series(retentionRows, ['events', 'visits', 'visit_runs', 'visitor_days']);
  const requestsBy = new Map<string, ReturnType<typeof requestSeconds.labels>>();

  return {
    registry,
    accepted(count, format: IngestFormat) {
      accepted.inc(count);
      acceptedBy.get(format)!.inc(count);
    },
    rejected: (reason: RejectReason, count) => rejectedBy.get(reason)!.inc(count),
    botDropped: (reason: BotReason, count) => botsBy.get(reason)!.inc(count),
    flushed(rows, ms) {
      written.inc(rows);
      flushSeconds.observe(ms / 1000);
    },
    flushFailed: () => flushFailures.inc(),
    retentionDeleted(rows) {
      retentionBy.get('events')!.inc(rows.events);
      retentionBy.get('visits')!.inc(rows.visits);
      retentionBy.get('visit_runs')!.inc(rows.visitRuns);
      retentionBy.get('visitor_days')!.inc(rows.visitorDays);
    },
    request(method, route, status, ms) {
      const key = `${method} ${route} ${status}`;
      let child = requestsBy.get(key);
      if (!child) {
        child = requestSeconds.labels(method, route, String(status));
        requestsBy.set(key, child);
      }
      child.observe(ms / 1000);
    },
  };
}
