/**
 * demo-site/ — pages that load the tracker as a customer's site does, and what
 * `npm start` runs.
 *
 * May import: collector (to start the collector beside it).
 */
import { fileURLToPath } from 'node:url';
import { ConfigError, loadConfig, readEnvironment } from '../collector/config.ts';
import { DEMO_ENVIRONMENT } from '../collector/config-variables.ts';
import { jsonLog } from '../collector/log.ts';
import { startCollector } from '../collector/server.ts';
import { startDemoSite } from './server.ts';

// What `npm start` runs (as dist/demo-site/start.js): the collector, and beside
// it the demo site on a port of its own, so the tracker crosses origins as it
// does on a customer's site. `npm run serve` runs the collector alone.

const log = jsonLog();

try {
  const config = loadConfig(process.env);
  const demoPort = readEnvironment(DEMO_ENVIRONMENT, process.env).DEMO_PORT ?? (config.port === 0 ? 0 : config.port + 1);
  const collector = await startCollector(config, {
    log,
    sdkScriptPath: fileURLToPath(new URL('../footfall.js', import.meta.url)),
    dashboardDir: fileURLToPath(new URL('../dashboard/', import.meta.url)),
  });
  const demo = await startDemoSite({
    root: fileURLToPath(new URL('../../demo-site/', import.meta.url)),
    collectorUrl: collector.url,
    port: demoPort,
    host: config.host,
  });

  process.stdout.write(
    [
      '',
      'Footfall is running.',
      `  dashboard   ${collector.url}/dashboard?site=demo`,
      `  demo site   ${demo.url}          open it and click around`,
      `  stats API   ${collector.url}/stats?site_id=demo   (docs: ${collector.url}/docs)`,
      '',
      'Press Ctrl+C to stop; queued events are written before it exits.',
      '',
    ].join('\n'),
  );

  let stopping = false;
  const stop = async () => {
    if (stopping) process.exit(1);
    stopping = true;
    await demo.close();
    await collector.close();
    log.flush();
    process.exit(0);
  };
  process.on('SIGTERM', () => void stop());
  process.on('SIGINT', () => void stop());
} catch (error) {
  if (error instanceof ConfigError) log('error', `configuration: ${error.message}`, { variable: error.variable });
  else log('error', `failed to start: ${(error as Error).message}`);
  log.flush();
  process.exit(1);
}
