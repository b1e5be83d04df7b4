import autocannon from 'autocannon';

export interface LoadOptions {
  readonly url: string;
  /** Request bodies, sent in turn. */
  readonly bodies: readonly string[];
  readonly seconds: number;
  readonly connections: number;
  readonly contentType?: string;
  readonly headers?: Record<string, string>;
  /** Requests a second across all connections; as fast as answered when not given. */
  readonly overallRate?: number;
}

export interface LoadResult {
  readonly requests: number;
  readonly rps: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  /** Responses by status code. */
  readonly status: Readonly<Record<string, number>>;
  readonly errors: number;
  readonly seconds: number;
}

/** A bounded load (time and connections) with autocannon, on loopback. */
export async function runLoad(options: LoadOptions): Promise<LoadResult> {
  let next = 0;
  const result = await autocannon({
    url: options.url,
    method: 'POST',
    connections: options.connections,
    duration: options.seconds,
    ...(options.overallRate ? { overallRate: options.overallRate } : {}),
    headers: { 'content-type': options.contentType ?? 'application/json', ...options.headers },
    requests: [
      {
        setupRequest: (request) => ({ ...request, body: options.bodies[next++ % options.bodies.length] }),
      },
    ],
  });
  const status: Record<string, number> = {};
  for (const [code, stat] of Object.entries(result.statusCodeStats ?? {}))
    status[code] = Number((stat as { count: number | string }).count);
  const requests = Object.values(status).reduce((a, b) => a + b, 0);
  return {
    requests,
    rps: requests / (result.duration || options.seconds),
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    status,
    errors: result.errors + result.timeouts,
    seconds: result.duration || options.seconds,
  };
}
