import { readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { getConnInfo } from '@hono/node-server/conninfo';
import { assembleCollector } from './assemble.ts';
import type { Config } from './config.ts';
import type { PipelineOptions } from './ingest/pipeline.ts';
import { jsonLog, type Log } from './log.ts';
import { openStore } from './store/open-store.ts';
import type { Store } from './store/store.ts';

export interface CollectorOptions extends PipelineOptions {
  /** Where the built script-tag SDK is; `/footfall.js` answers 404 without it. */
  readonly sdkScriptPath?: string;
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
  const store = await openStore(config.database);
  let collector: ReturnType<typeof assembleCollector>;
  try {
    collector = assembleCollector(config, store, {
      ...options,
      log,
      processMetrics: true,
      sdkScript: options.sdkScriptPath ? readOptional(options.sdkScriptPath) : null,
      socketIp: (c) => getConnInfo(c).remote.address ?? '',
    });
  } catch (error) {
    await store.close();
    throw error;
  }

  const server = await new Promise<ReturnType<typeof serve>>((resolve, reject) => {
    const s = serve({ fetch: collector.app.fetch, port: config.port, hostname: config.host }, () => resolve(s));
    s.once('error', (error: NodeJS.ErrnoException) => {
      reject(error.code === 'EADDRINUSE' ? new Error(`PORT: ${config.port} is already in use`) : error);
    });
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
