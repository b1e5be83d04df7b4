import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { getRequestListener } from '@hono/node-server';
import { getConnInfo } from '@hono/node-server/conninfo';
import { assembleCollector, openConfiguredStore, openGeo } from './assemble.ts';
import { type Config, ConfigError } from './config.ts';
import { loadDashboardAssets } from './dashboard/assets.ts';
import { ingestListener } from './ingest/node-listener.ts';
import type { PipelineOptions } from './ingest/pipeline.ts';
import { jsonLog, type Log } from './log.ts';
import { loadSdkPackage } from './sdk-package.ts';
import type { Store } from './store/store.ts';

/**
 * How long a client may hold a connection without finishing a request. A
 * beacon's headers arrive in one packet and its body (64 KiB at most) in a few
 * more: 10 s for the headers and 20 s for the whole request leave a slow
 * mobile network room (64 KiB at 2G's 40 kbit/s takes 13 s), while a client
 * that sends a request byte by byte, to hold a socket, loses it in seconds
 * rather than Node's default 300, and one that sends nothing loses it after
 * 10 s. An idle kept-alive connection closes after 5 s (Node's default). Node
 * checks the first two every second (its default: 30).
 */
export const HTTP_TIMEOUTS = { headersMs: 10_000, requestMs: 20_000, keepAliveMs: 5_000, checkEveryMs: 1_000 } as const;
export type HttpTimeouts = { readonly [K in keyof typeof HTTP_TIMEOUTS]: number };

export interface CollectorOptions extends PipelineOptions {
  /** Where the built script-tag SDK is; `/footfall.js` answers 404 without it. */
  readonly sdkScriptPath?: string;
  /** Where the packed SDK tarball is (`footfall-sdk-VERSION.tgz`); `/sdk/` answers 404 without it. */
  readonly sdkPackageDir?: string;
  /** Where the tracker for Plausible's and Umami's snippets is; their script paths answer 404 without it. */
  readonly compatScriptPath?: string;
  /** Where the built dashboard is (`index.html`, `assets/`); `/dashboard` answers 404 without it. */
  readonly dashboardDir?: string;
  readonly log?: Log;
  /** How long a shutdown keeps retrying a database that refuses the last writes (8 s). */
  readonly shutdownGraceMs?: number;
  /** HTTP_TIMEOUTS, unless a test needs shorter ones. */
  readonly httpTimeouts?: HttpTimeouts;
}

export interface RunningCollector {
  /** `http://host:port` as a browser on this machine reaches it. */
  readonly url: string;
  readonly port: number;
  readonly store: Store;
  /** Stops accepting (503), waits for requests in flight, drains the queue into the database and closes it. */
  close(): Promise<void>;
}

/** Opens the store, starts the writer and serves HTTP: the whole collector, running. */
export async function startCollector(config: Config, options: CollectorOptions = {}): Promise<RunningCollector> {
  const log = options.log ?? jsonLog();
  // Geo databases first: a bad file stops the start before the database is touched.
  const geo = openGeo(config);
  const { store, sites } = await openConfiguredStore(config, log);
  let collector: ReturnType<typeof assembleCollector>;
  try {
    collector = assembleCollector(config, store, {
      ...options,
      geo,
      log,
      sites,
      processMetrics: true,
      sdkScript: options.sdkScriptPath ? readOptional(options.sdkScriptPath) : null,
      compatScript: options.compatScriptPath ? readOptional(options.compatScriptPath) : null,
      dashboard: options.dashboardDir ? loadDashboardAssets(options.dashboardDir) : null,
      sdkPackage: options.sdkPackageDir ? loadSdkPackage(options.sdkPackageDir) : null,
      socketIp: (c) => getConnInfo(c).remote.address ?? '',
    });
  } catch (error) {
    await store.close();
    throw error;
  }

  // Beacons take the direct path; everything else (stats, docs, operations) the app.
  const app = getRequestListener(collector.app.fetch);
  const beacons = ingestListener(collector.ingest, config.paths.events, collector.recordRequest, (error) =>
    log('error', 'request failed', { error: String(error) }),
  );
  const timeouts = options.httpTimeouts ?? HTTP_TIMEOUTS;
  const server = createServer(
    {
      headersTimeout: timeouts.headersMs,
      requestTimeout: timeouts.requestMs,
      keepAliveTimeout: timeouts.keepAliveMs,
      connectionsCheckingInterval: timeouts.checkEveryMs,
    },
    (req, res) => {
      // Its request came: the connection's first wait (below) is over.
      if (req.socket.timeout) req.socket.setTimeout(0);
      if (!beacons(req, res)) void app(req, res);
    },
  );
  // Node times headers from their first byte: a connection that sends none is closed here, by the same bound.
  server.on('connection', (socket: Socket) => socket.setTimeout(timeouts.headersMs));
  await new Promise<void>((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) => {
      reject(
        error.code === 'EADDRINUSE'
          ? new ConfigError('PORT', `${config.port} is already in use: stop what listens there, or set PORT to a free port`)
          : error,
      );
    });
    server.listen(config.port, config.host, resolve);
  }).catch(async (error) => {
    await collector.drain();
    await store.close();
    throw error;
  });
  const port = (server.address() as AddressInfo).port;
  const host = !config.host || config.host === '0.0.0.0' || config.host === '::' ? 'localhost' : config.host;

  let closing: Promise<void> | undefined;
  return {
    url: `http://${host}:${port}`,
    port,
    store,
    close() {
      closing ??= (async () => {
        collector.stopAccepting();
        await closeServer(server);
        try {
          await collector.drain(options.shutdownGraceMs ?? 8000);
        } finally {
          await store.close();
        }
      })();
      return closing;
    },
  };
}

/** Closes the listener and waits for requests in flight; idle keep-alive sockets are dropped. */
function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeIdleConnections();
    // A client holding a connection open must not hold the shutdown hostage.
    setTimeout(() => server.closeAllConnections(), 10_000).unref();
  });
}

function readOptional(path: string): string | null {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return null;
  }
}
