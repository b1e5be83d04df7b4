import type { Page } from '@playwright/test';
import { expect, type Footfall } from './fixtures.ts';

/** What a visit leaves in `/stats`: the figures another tool's tracker must give as Footfall's own does. */
export interface VisitFigures {
  readonly pageviews: number;
  readonly visitors: number;
  readonly visits: number;
  readonly events: number;
  readonly revenue: Record<string, number>;
}

/** What the visit below gives: two page views in one visit, one purchase of 29 EUR with a property. */
export const ONE_VISIT: VisitFigures = { pageviews: 2, visitors: 1, visits: 1, events: 1, revenue: { EUR: 29 } };

/**
 * Serves a shop page at `/{name}/` and its next page at `/{name}/next`, each
 * with `head` (the tracker's snippet; `{{COLLECTOR}}` is the collector), and a
 * Buy button whose click runs `buy` (the tracker's call for a purchase of 29
 * EUR with `plan: pro`); returns the first page's URL.
 */
export function serveShop(footfall: Footfall, name: string, head: string, buy: string): string {
  const page = (title: string, body: string) =>
    `<!doctype html><html><head><title>${title}</title>${head}</head><body><h1>${title}</h1>${body}</body></html>`;
  footfall.serveFile(`/${name}/next`, page('Next', '<p>Thanks</p>'));
  return footfall.serveFile(
    `/${name}/`,
    page('Shop', `<button onclick="${buy.replaceAll('"', '&quot;')}">Buy</button> <a href="/${name}/next">Next</a>`),
  );
}

/** The visit: open the shop, buy, go to the next page; then waits until `site`'s figures are those of one such visit. */
export async function visitShop(page: Page, footfall: Footfall, url: string, site: string): Promise<VisitFigures> {
  await page.goto(url);
  await page.getByRole('button', { name: 'Buy' }).click();
  await page.getByRole('link', { name: 'Next' }).click();
  await page.getByRole('heading', { name: 'Next' }).waitFor();
  // Leaving sends what is queued: the figures are complete once the tab is closed.
  await page.goto('about:blank');
  let figures: VisitFigures | undefined;
  await expect
    .poll(async () => {
      const { metrics } = await footfall.collector.getJson<{ metrics: VisitFigures }>(`/stats?site_id=${encodeURIComponent(site)}`);
      figures = {
        pageviews: metrics.pageviews,
        visitors: metrics.visitors,
        visits: metrics.visits,
        events: metrics.events,
        revenue: metrics.revenue,
      };
      return figures;
    })
    .toEqual(ONE_VISIT);
  return figures!;
}

/** Footfall's own tracker on the same shop, for the same visit: what the other tool's page is compared with. */
export async function visitOwnShop(page: Page, footfall: Footfall): Promise<VisitFigures> {
  const url = serveShop(
    footfall,
    'own',
    '<script defer src="{{COLLECTOR}}/footfall.js" data-site="demo" data-include-localhost></script>',
    "footfall('Purchase', { props: { plan: 'pro' }, revenue: { amount: 29, currency: 'EUR' } })",
  );
  return visitShop(page, footfall, url, 'demo');
}
