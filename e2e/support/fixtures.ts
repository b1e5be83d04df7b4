import { join } from 'node:path';
import { test as base } from '@playwright/test';
import { type RunningDemoSite, startDemoSite } from '../../demo-site/server.ts';
import { type CollectorProcess, ROOT, startCollectorProcess } from './collector-process.ts';

export interface Footfall {
  readonly collector: CollectorProcess;
  readonly demo: RunningDemoSite;
  /** `GET /stats` for the demo site (or another), with an optional query string. */
  stats(query?: string, site?: string): Promise<Stats>;
}

export interface Stats {
  site_id: string;
  date: string | null;
  total_views: number;
  unique_users: number;
  top_paths: { path: string | null; views: number }[];
}

/**
 * Each test gets its own collector process (fresh database, free port) and the
 * demo site on another origin, pointing at it.
 */
export const test = base.extend<{ footfall: Footfall }>({
  footfall: async ({}, use) => {
    const collector = await startCollectorProcess();
    const demo = await startDemoSite({ root: join(ROOT, 'demo-site'), collectorUrl: collector.url, port: 0 });
    await use({
      collector,
      demo,
      stats: (query = '', site = 'demo') => collector.getJson<Stats>(`/stats?site_id=${site}${query ? `&${query}` : ''}`),
    });
    await demo.close();
    await collector.dispose();
  },
});

export { expect } from '@playwright/test';
