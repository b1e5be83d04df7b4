import { readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { getConnInfo } from '@hono/node-server/conninfo';
import { createApp } from './app.ts';
import { loadDashboardAssets } from './dashboard/assets.ts';
import type { Config } from './config.ts';
import { type PipelineOptions, startPipeline } from './ingest/pipeline.ts';
import { jsonLog, type Log } from './log.ts';
import { openStore } from './store/open-store.ts';
import type { Store } from './store/store.ts';

export interface CollectorOptions extends PipelineOptions {
  /** Where the built script-tag SDK is; `/footfall.js` answers 404 without it. */
  readonly sdkScriptPath?: string;
  /** Where the built dashboard is (`index.html`, `assets/`); `/dashboard` answers 404 without it. */
  readonly dashboardDir?: string;
  readonly log?: Log;
}

export interface RunningCollector {
  /** `http://host:port` as a browser on this machine reaches it. */
  readonly url: string;
  readonly port: number;
  readonly store: Store;
  /** Stops accepting, drains the queue into the database and closes it. */
  close(): Promise<void>;
}

/** Opens the store, starts the writer and serves HTTP: the whole collector, running. */
export async function startCollector(config: Config, options: CollectorOptions = {}): Promise<RunningCollector> {
  const log = options.log ?? jsonLog();
  const store = await openStore(config.database, { timeZoneOf: (id) => config.sites.get(id)?.timeZone ?? 'UTC' });
  const pipeline = startPipeline(store, {
    ...options,
    writer: { ...options.writer, onError: (error) => log('error', 'flush failed; events kept in the queue', { error: String(error) }) },
  });
  let accepting = true;

  const app = createApp({
    store,
    log,
    apiKeys: config.apiKeys,
    sdkScript: options.sdkScriptPath ? readOptional(options.sdkScriptPath) : null,
    dashboard: options.dashboardDir ? loadDashboardAssets(options.dashboardDir) : null,
    ingest: {
      pipeline,
      sites: config.sites,
      isAccepting: () => accepting,
      clientIp: (c) => getConnInfo(c).remote.address ?? '',
    },
  });

  const server = await new Promise<ReturnType<typeof serve>>((resolve, reject) => {
    const s = serve({ fetch: app.fetch, port: config.port, hostname: config.host }, () => resolve(s));
    s.once('error', (error: NodeJS.ErrnoException) => {
      reject(error.code === 'EADDRINUSE' ? new Error(`PORT: ${config.port} is already in use`) : error);
    });
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
        accepting = false;
        await closeServer(server);
        await pipeline.writer.stop();
        await store.close();
      })();
      return closing;
    },
  };
}

/** Closes the listener and waits for requests in flight; idle keep-alive sockets are dropped. */
function closeServer(server: ReturnType<typeof serve>): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    if ('closeIdleConnections' in server) server.closeIdleConnections();
    // A client holding a connection open must not hold the shutdown hostage.
    setTimeout(() => 'closeAllConnections' in server && server.closeAllConnections(), 10_000).unref();
  });
}

function readOptional(path: string): string | null {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return null;
  }
}
