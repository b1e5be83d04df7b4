import { type Page, test as base, type TestInfo } from '@playwright/test';
import { type CollectorProcess, startCollectorProcess } from './collector-process.ts';

/** What the dashboard scenarios share: a collector of their own, seeded through POST /event. */

export interface SeedEvent {
  site_id: string;
  event_type: string;
  path?: string;
  user_id: string;
  timestamp: string;
  referrer?: string;
  props?: Record<string, string | number | boolean>;
  revenue?: { amount: number; currency: string };
  link?: string;
  element?: string;
}

export interface DashboardFixtures {
  /** Environment for the collector process (FOOTFALL_SITES, FOOTFALL_API_KEYS, …). */
  collectorEnv: Record<string, string>;
  collector: CollectorProcess;
  /** Console errors and uncaught exceptions of the page, collected as the test runs. */
  consoleErrors: string[];
}

export const test = base.extend<DashboardFixtures>({
  collectorEnv: [{}, { option: true }],
  collector: async ({ collectorEnv }, use) => {
    const collector = await startCollectorProcess(collectorEnv);
    await use(collector);
    await collector.dispose();
  },
  consoleErrors: async ({ page }, use) => {
    const errors: string[] = [];
    page.on('console', (message) => {
      if (message.type() === 'error') errors.push(message.text());
    });
    page.on('pageerror', (error) => errors.push(`uncaught: ${error.message}`));
    await use(errors);
  },
});

export { expect } from '@playwright/test';

/** Sends events through POST /event, as a server-side client does, and waits until /stats counts them all. */
export async function seed(collector: CollectorProcess, events: readonly SeedEvent[], headers: Record<string, string> = {}): Promise<void> {
  for (const event of events) {
    const res = await fetch(new URL('/event', collector.url), {
      method: 'POST',
      body: JSON.stringify(event),
      headers: { 'Content-Type': 'application/json' },
    });
    if (res.status !== 202) throw new Error(`POST /event answered ${res.status}: ${await res.text()}`);
  }
  const bySite = new Map<string, number>();
  for (const e of events) bySite.set(e.site_id, (bySite.get(e.site_id) ?? 0) + (isPageview(e) ? 1 : 0));
  const deadline = Date.now() + 10_000;
  for (const [site, views] of bySite) {
    for (;;) {
      const res = await fetch(new URL(`/stats?site_id=${encodeURIComponent(site)}`, collector.url), { headers });
      const body = (await res.json()) as { total_views?: number };
      if ((body.total_views ?? 0) >= views) break;
      if (Date.now() > deadline) throw new Error(`the seeded events of ${site} did not reach /stats: ${JSON.stringify(body)}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
}

function isPageview(e: SeedEvent): boolean {
  return e.event_type === 'page_view' || e.event_type === 'pageview';
}

/** GET a stats path as JSON, as the dashboard asks it. */
export async function getJson<T>(collector: CollectorProcess, path: string, headers: Record<string, string> = {}): Promise<T> {
  const res = await fetch(new URL(path, collector.url), { headers });
  if (!res.ok) throw new Error(`GET ${path}: ${res.status} ${await res.text()}`);
  return (await res.json()) as T;
}

/** Saves the page at desktop and phone width as test artifacts (test-results/), attached to the report. */
export async function saveScreenshots(page: Page, testInfo: TestInfo, name: string): Promise<void> {
  const original = page.viewportSize();
  for (const [label, size] of [
    ['desktop', { width: 1280, height: 900 }],
    ['phone', { width: 390, height: 844 }],
  ] as const) {
    await page.setViewportSize(size);
    // Let the chart follow its new width before the picture is taken.
    await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))));
    const path = testInfo.outputPath(`${name}-${label}.png`);
    await page.screenshot({ path, fullPage: true });
    await testInfo.attach(`${name} (${label})`, { path, contentType: 'image/png' });
  }
  if (original) await page.setViewportSize(original);
}

/** A time `minutesAgo` before now, ISO 8601. */
export function minutesAgo(minutes: number): string {
  return new Date(Date.now() - minutes * 60_000).toISOString();
}
