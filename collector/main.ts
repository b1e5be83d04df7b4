import { fileURLToPath } from 'node:url';
import { ConfigError, loadConfig } from './config.ts';
import { jsonLog } from './log.ts';
import { startCollector } from './server.ts';

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
    compatScriptPath: fileURLToPath(new URL('../footfall-compat.js', import.meta.url)),
    dashboardDir: fileURLToPath(new URL('../dashboard/', import.meta.url)),
  });
  log('info', 'Footfall collector listening', { url: collector.url });

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) {
      log('warn', 'second signal: exiting without draining the queue', { signal });
      exit(1); // the operator insists
    }
    stopping = true;
    log('info', 'shutting down: refusing new events, draining the queue', { signal });
    try {
      await collector.close();
      log('info', 'stopped; every accepted event is written');
      exit(0);
    } catch (error) {
      log('error', 'shutdown failed: queued events were not written', { error: String(error) });
      exit(1);
    }
  };
  process.on('SIGTERM', () => void stop('SIGTERM'));
  process.on('SIGINT', () => void stop('SIGINT'));
} catch (error) {
  if (error instanceof ConfigError) log('error', `configuration: ${error.message}`, { variable: error.variable });
  else log('error', `failed to start: ${(error as Error).message}`);
  exit(1);
}
