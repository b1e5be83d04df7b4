import { join } from 'node:path';
import { test as base } from '@playwright/test';
import { startDemoSite } from '../demo-site/server.ts';
import { ROOT, startCollectorProcess } from './support/collector-process.ts';
import { expectEvents } from './support/events.ts';
import { countAutomatedBrowser } from './support/fixtures.ts';

// A collector that serves the tracker and its endpoint under other names (out of ad-block lists'
// reach): the page loads the renamed script, and the script sends to the renamed endpoint.

base('renamed script and endpoint paths carry the events', async ({ page, context }) => {
  await countAutomatedBrowser(context);
  const collector = await startCollectorProcess({ FOOTFALL_SCRIPT_PATH: '/js/app.js', FOOTFALL_EVENTS_PATH: '/api/collect' });
  const pages = new Map([
    [
      '/',
      '<!doctype html><title>Renamed</title><script defer src="{{COLLECTOR}}/js/app.js" data-site="demo" data-include-localhost></script>',
    ],
  ]);
  const demo = await startDemoSite({ root: join(ROOT, 'demo-site'), collectorUrl: collector.url, port: 0, pages });
  try {
    const posted: string[] = [];
    page.on('request', (request) => request.method() === 'POST' && posted.push(new URL(request.url()).pathname));
    await expectEvents(page, collector.databasePath, () => page.goto(`${demo.url}/`), { expect: [{ name: 'pageview', path: '/' }] });
    base.expect(posted).toEqual(['/api/collect']);
  } finally {
    await demo.close();
    await collector.dispose();
  }
});
