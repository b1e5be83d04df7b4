/** What a load of event batches got back: which event ids were answered 202, and every status seen. */
export interface LoadResult {
  /** Ids of events in batches answered 202: each a promise to write it. */
  readonly accepted: Set<number>;
  /** Ids of every event sent, whatever the answer. */
  readonly sent: Set<number>;
  /** How many answers of each status; `error` counts requests that got no answer (connection refused or reset). */
  readonly statuses: Map<number | 'error', number>;
  /** Retry-After values of the 503s seen. */
  readonly retryAfter: string[];
}

export interface LoadOptions {
  readonly url: string;
  readonly site: string;
  readonly workers: number;
  readonly eventsPerBatch: number;
  /** Sending stops when this returns true (checked before each request), or after `maxRequests`. */
  readonly until: (result: LoadResult) => boolean;
  readonly maxRequests: number;
  /** Pause between one worker's requests. */
  readonly pauseMs?: number;
}

const BROWSER_UA = 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/140.0.0.0 Safari/537.36';

/**
 * Sends batches of uniquely numbered page views from a few concurrent workers,
 * as the tracker does (text/plain JSON to /events), and records every answer.
 * Bounded in requests; each request has a timeout.
 */
export async function sendLoad(options: LoadOptions, result: LoadResult = emptyLoadResult()): Promise<LoadResult> {
  let next = Math.max(0, ...result.sent) + 1;
  let requests = 0;
  const count = (status: number | 'error') => result.statuses.set(status, (result.statuses.get(status) ?? 0) + 1);

  async function worker() {
    while (requests < options.maxRequests && !options.until(result)) {
      requests += 1;
      const ids = Array.from({ length: options.eventsPerBatch }, () => next++);
      for (const id of ids) result.sent.add(id);
      const events = ids.map((n) => ({ n: 'pageview', u: `https://load.test/p/${n}`, p: { n }, a: 0 }));
      try {
        const res = await fetch(new URL('/events', options.url), {
          method: 'POST',
          headers: { 'content-type': 'text/plain', 'user-agent': BROWSER_UA },
          body: JSON.stringify({ s: options.site, e: events }),
          signal: AbortSignal.timeout(30_000),
        });
        await res.arrayBuffer();
        count(res.status);
        if (res.status === 202) for (const id of ids) result.accepted.add(id);
        if (res.status === 503) result.retryAfter.push(res.headers.get('retry-after') ?? '');
      } catch {
        count('error');
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      if (options.pauseMs) await new Promise((resolve) => setTimeout(resolve, options.pauseMs));
    }
  }

  await Promise.all(Array.from({ length: options.workers }, worker));
  return result;
}

export function emptyLoadResult(): LoadResult {
  return { accepted: new Set(), sent: new Set(), statuses: new Map(), retryAfter: [] };
}
