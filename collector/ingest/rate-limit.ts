/** At most `requests` per `windowMs` from one client. */
export interface RateLimit {
  readonly requests: number;
  readonly windowMs: number;
}

/**
 * Parses `RATE_LIMIT`: `off`, or `REQUESTS/PERIOD` with a period such as
 * `10s`, `1m` or `1h` (`600/1m`); a bare number is per minute.
 */
export function parseRateLimit(value: string | undefined, fallback: RateLimit | null): RateLimit | null {
  const v = value?.trim().toLowerCase();
  if (!v) return fallback;
  if (v === 'off' || v === '0' || v === 'false') return null;
  const match = /^(\d+)(?:\s*\/\s*(\d*)\s*(s|sec|m|min|h)?)?$/.exec(v);
  if (!match) throw new Error(`"${value}" is not off or REQUESTS/PERIOD such as 600/1m`);
  const requests = Number(match[1]);
  const unit = match[3] === 'h' ? 3_600_000 : match[3] === 's' || match[3] === 'sec' ? 1000 : 60_000;
  const windowMs = (match[2] ? Number(match[2]) : 1) * unit;
  if (requests < 1 || windowMs < 1000 || windowMs > 86_400_000) throw new Error(`"${value}": expected at least 1 request per 1s to 24h`);
  return { requests, windowMs };
}

/**
 * Counts requests per client in fixed windows, weighing the previous window by
 * how much of it the sliding window still covers (Cloudflare's approximation):
 * two maps of counters, no timers. Answers 0 to let a request through, or the
 * seconds to wait before the next one would be.
 */
export function createRateLimiter(limit: RateLimit, now: () => number = Date.now): (client: string) => number {
  let windowStart = Math.floor(now() / limit.windowMs) * limit.windowMs;
  let current = new Map<string, number>();
  let previous = new Map<string, number>();
  // Past this many clients in one window, new ones go uncounted rather than grow memory without bound.
  const MAX_CLIENTS = 200_000;

  return function rateLimited(client) {
    const t = now();
    if (t >= windowStart + limit.windowMs) {
      const windows = Math.floor((t - windowStart) / limit.windowMs);
      previous = windows === 1 ? current : new Map();
      current = new Map();
      windowStart += windows * limit.windowMs;
    }
    const count = current.get(client) ?? 0;
    const overlap = 1 - (t - windowStart) / limit.windowMs;
    const estimate = (previous.get(client) ?? 0) * overlap + count;
    if (estimate >= limit.requests) return Math.max(1, Math.ceil((windowStart + limit.windowMs - t) / 1000));
    if (count > 0 || current.size < MAX_CLIENTS) current.set(client, count + 1);
    return 0;
  };
}
