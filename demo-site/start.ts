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
import { ANY_SITE_NOTE, describeStart } from '../collector/start-notes.ts';
import { onStopRequest } from '../collector/stop-request.ts';
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
    sdkPackageDir: fileURLToPath(new URL('../sdk-package/', import.meta.url)),
    dashboardDir: fileURLToPath(new URL('../dashboard/', import.meta.url)),
  });
  const demo = await startDemoSite({
    root: fileURLToPath(new URL('../../demo-site/', import.meta.url)),
    collectorUrl: collector.url,
    port: demoPort,
    host: config.host,
  }).catch(async (error: NodeJS.ErrnoException) => {
    await collector.close();
    throw error.code === 'EADDRINUSE'
      ? new ConfigError('DEMO_PORT', `${demoPort} is already in use: stop what listens there, or set DEMO_PORT to a free port`)
      : error;
  });
  const notes = describeStart(config);
  log('info', 'Footfall collector listening', { url: collector.url, ...notes });

  process.stdout.write(
    [
      '',
      'Footfall is running.',
      `  dashboard   ${collector.url}/dashboard?site=demo`,
      `  demo site   ${demo.url}          open it and click around`,
      `  stats API   ${collector.url}/stats?site_id=demo   (docs: ${collector.url}/docs)`,
      `  database    ${notes.store} ${notes.database}`,
      ...(config.sites.restricted
        ? [`  sites       ${notes.sites}`]
        : ANY_SITE_NOTE.map((line, n) => `${n ? '             ' : '  sites      '} ${line}`)),
      '',
      'Press Ctrl+C to stop; queued events are written before it exits.',
      '',
    ].join('\n'),
  );

  let stopping = false;
  const stop = async (reason: string) => {
    if (stopping) {
      log('warn', 'asked again: exiting without draining the queue', { reason });
      log.flush();
      process.exit(1);
    }
    stopping = true;
    log('info', 'shutting down: the demo site, then the collector, draining its queue', { reason });
    try {
      await demo.close();
      await collector.close();
      log('info', 'stopped; every accepted event is written');
      log.flush();
      process.exit(0);
    } catch (error) {
      log('error', 'shutdown failed: queued events were not written', { error: String(error) });
      log.flush();
      process.exit(1);
    }
  };
  onStopRequest((reason) => void stop(reason));
} catch (error) {
  if (error instanceof ConfigError) log('error', `configuration: ${error.message}`, { variable: error.variable });
  else log('error', `failed to start: ${(error as Error).message}`);
  log.flush();
  process.exit(1);
}
