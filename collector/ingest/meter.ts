import type { BotReason } from './enrich/bots.ts';
import type { IngestFormat } from './foreign.ts';

/** Why events were refused; a short fixed set, so it can label a metric. */
/** Why events were refused (a refusal's code); a short fixed set, so it can label a metric. */
export const REJECT_REASONS = [
  'invalid',
  'unknown_site',
  'origin_not_allowed',
  'too_large',
  'rate_limited',
  'queue_full',
  'store_unavailable',
  'shutting_down',
] as const;

export type RejectReason = (typeof REJECT_REASONS)[number];

/**
 * What ingestion tells the outside about events (the metrics implement it).
 * Counts are of events; a request refused before its events were read counts one.
 */
export interface IngestMeter {
  /** Events queued, by the wire format they came in. */
  accepted(count: number, format: IngestFormat): void;
  rejected(reason: RejectReason, count: number): void;
  botDropped(reason: BotReason, count: number): void;
}
