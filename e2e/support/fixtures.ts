import { join } from 'node:path';
import { type BrowserContext, test as base, type Page } from '@playwright/test';
import { type RunningDemoSite, startDemoSite } from '../../demo-site/server.ts';
import { type CollectorProcess, ROOT, startCollectorProcess } from './collector-process.ts';
import { type EventExpectations, expectEvents, readEvents, type StoredEvent } from './events.ts';

export interface Footfall {
  readonly collector: CollectorProcess;
  readonly demo: RunningDemoSite;
  /** `GET /stats` for the demo site (or another), with an optional query string. */
  stats(query?: string, site?: string): Promise<Stats>;
  /** Every event the collector has stored. */
  events(): StoredEvent[];
  /** Runs an action and checks which events reach the collector (see expectEvents). */
  expectEvents(action: () => Promise<unknown>, want: EventExpectations, page?: Page): Promise<StoredEvent[]>;
  /**
   * Serves a page at `path` on the demo site's origin whose tracker tag has the
   * given attributes (besides `data-site="demo"`), for scenarios that need a
   * setting of their own; returns its URL.
   */
  servePage(path: string, attributes: string, body?: string): string;
  /** Serves any file (HTML, or by its extension) at `path` on the demo site's origin; returns its URL. */
  serveFile(path: string, body: string): string;
}

export interface Stats {
  site_id: string;
  date: string | null;
  total_views: number;
  unique_users: number;
  top_paths: { path: string | null; views: number }[];
}

/** Tells the tracker to count this automated browser: it skips automation unless a browser says so. */
export async function countAutomatedBrowser(context: BrowserContext): Promise<void> {
  await context.addInitScript(() => {
    try {
      // Unless the visitor opted out, as a scenario may.
      if (localStorage.getItem('footfall_ignore') === null) localStorage.setItem('footfall_ignore', 'false');
    } catch {
      // about:blank and opaque origins have no storage.
    }
  });
}

/**
 * Each test gets its own collector process (fresh database, free port) and the
 * demo site on another origin, pointing at it. The browser says it wants to be
 * counted although it is automated.
 */
export const test = base.extend<{ footfall: Footfall; collectorEnv: Record<string, string> }>({
  // The collector's environment, for a scenario that needs a setting: test.use({ collectorEnv: { … } }).
  collectorEnv: [{}, { option: true }],
  context: async ({ context }, use) => {
    await countAutomatedBrowser(context);
    await use(context);
  },
  footfall: async ({ page, collectorEnv }, use) => {
    const collector = await startCollectorProcess(collectorEnv);
    const pages = new Map<string, string>();
    const demo = await startDemoSite({ root: join(ROOT, 'demo-site'), collectorUrl: collector.url, port: 0, pages });
    await use({
      collector,
      demo,
      stats: (query = '', site = 'demo') => collector.getJson<Stats>(`/stats?site_id=${site}${query ? `&${query}` : ''}`),
      events: () => readEvents(collector.databasePath),
      expectEvents: (action, want, on = page) => expectEvents(on, collector.databasePath, action, want),
      servePage(path, attributes, body = '') {
        const html = `<!doctype html><html><head><title>${path}</title><script defer src="{{COLLECTOR}}/footfall.js" data-site="demo" ${attributes}></script></head><body><h1>${path}</h1>${body}</body></html>`;
        pages.set(path, html);
        return `${demo.url}${path}`;
      },
      serveFile(path, body) {
        pages.set(path, body);
        return `${demo.url}${path}`;
      },
    });
    await demo.close();
    await collector.dispose();
  },
});

export { expect } from '@playwright/test';
