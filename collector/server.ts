import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { getRequestListener } from '@hono/node-server';
import { getConnInfo } from '@hono/node-server/conninfo';
import { assembleCollector, openGeo, storeOptions } from './assemble.ts';
import { loadDashboardAssets } from './dashboard/assets.ts';
import type { Config } from './config.ts';
import { ingestListener } from './ingest/node-listener.ts';
import type { PipelineOptions } from './ingest/pipeline.ts';
import { jsonLog, type Log } from './log.ts';
import { openStore } from './store/open-store.ts';
import type { Store } from './store/store.ts';

export interface CollectorOptions extends PipelineOptions {
  /** Where the built script-tag SDK is; `/footfall.js` answers 404 without it. */
  readonly sdkScriptPath?: string;
  /** Where the built dashboard is (`index.html`, `assets/`); `/dashboard` answers 404 without it. */
  readonly dashboardDir?: string;
  readonly log?: Log;
  /** How long a shutdown keeps retrying a database that refuses the last writes (8 s). */
  readonly shutdownGraceMs?: number;
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
  const store = await openStore(config.database, storeOptions(config, log));
  let collector: ReturnType<typeof assembleCollector>;
  try {
    collector = assembleCollector(config, store, {
      ...options,
      geo,
      log,
      processMetrics: true,
      sdkScript: options.sdkScriptPath ? readOptional(options.sdkScriptPath) : null,
      dashboard: options.dashboardDir ? loadDashboardAssets(options.dashboardDir) : null,
      socketIp: (c) => getConnInfo(c).remote.address ?? '',
    });
  } catch (error) {
    await store.close();
    throw error;
  }

  // Beacons take the direct path; everything else (stats, docs, operations) the app.
  const app = getRequestListener(collector.app.fetch);
  const beacons = ingestListener(collector.ingest, config.paths.events, collector.recordRequest, (error) => log('error', 'request failed', { error: String(error) }));
  const server = createServer((req, res) => {
    if (!beacons(req, res)) void app(req, res);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) => {
      reject(error.code === 'EADDRINUSE' ? new Error(`PORT: ${config.port} is already in use`) : error);
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
