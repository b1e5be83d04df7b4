/**
 * collector/ — the collector: its process entry (this file), the server and the
 * app that mount every folder's routes, and the modules every folder shares
 * (configuration, log, sites, refusals, time zones).
 *
 * May import: anything in collector/.
 */
import { fileURLToPath } from 'node:url';
import { ConfigError, loadConfig } from './config.ts';
import { jsonLog } from './log.ts';
import { startCollector } from './server.ts';
import { describeStart } from './start-notes.ts';
import { onStopRequest } from './stop-request.ts';

// The collector's process entry, run as the bundle dist/collector/main.js.

const log = jsonLog();
const exit = (code: number): never => {
  log.flush();
  process.exit(code);
};

try {
  const config = loadConfig(process.env);
  const collector = await startCollector(config, {
    log,
    sdkScriptPath: fileURLToPath(new URL('../footfall.js', import.meta.url)),
    sdkPackageDir: fileURLToPath(new URL('../sdk-package/', import.meta.url)),
    compatScriptPath: fileURLToPath(new URL('../footfall-compat.js', import.meta.url)),
    dashboardDir: fileURLToPath(new URL('../dashboard/', import.meta.url)),
  });
  log('info', 'Footfall collector listening', { url: collector.url, ...describeStart(config) });

  let stopping = false;
  const stop = async (reason: string) => {
    if (stopping) {
      log('warn', 'asked again: exiting without draining the queue', { reason });
      exit(1); // the operator insists
    }
    stopping = true;
    log('info', 'shutting down: refusing new events, draining the queue', { reason });
    try {
      await collector.close();
      log('info', 'stopped; every accepted event is written');
      exit(0);
    } catch (error) {
      log('error', 'shutdown failed: queued events were not written', { error: String(error) });
      exit(1);
    }
  };
  onStopRequest((reason) => void stop(reason));
} catch (error) {
  if (error instanceof ConfigError) log('error', `configuration: ${error.message}`, { variable: error.variable });
  else log('error', `failed to start: ${(error as Error).message}`);
  exit(1);
}
