import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { CollectorProcess } from './collector-process.ts';

/** What the tracked-link scenarios share: a key for FOOTFALL_API_KEYS, and links made through the API. */

export const LINKS_KEY = 'links-e2e-key-0123456789';
export const AUTH = { authorization: `Bearer ${LINKS_KEY}` };

/** Creates a link through `POST /links`; throws unless it is created. */
export async function createLink(collector: CollectorProcess, link: Record<string, unknown>): Promise<{ code: string; short_url: string }> {
  const res = await fetch(new URL('/links', collector.url), {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...AUTH },
    body: JSON.stringify(link),
  });
  if (res.status !== 201) throw new Error(`POST /links answered ${res.status}: ${await res.text()}`);
  return (await res.json()) as { code: string; short_url: string };
}

export interface LinkRow {
  kind: string;
  code: string | null;
  clicks: { today: number; week: number; month: number; range: number };
  unique_clicks: { today: number; range: number };
  top_referrers: { value: string | null; clicks: number }[];
}

/** One link's numbers today from `GET /stats/links`, as the API answers them. */
export async function linkToday(collector: CollectorProcess, site: string, code: string): Promise<LinkRow | undefined> {
  const res = await fetch(new URL(`/stats/links?site_id=${site}&period=day`, collector.url), { headers: AUTH });
  if (!res.ok) throw new Error(`GET /stats/links: ${res.status} ${await res.text()}`);
  return ((await res.json()) as { links: LinkRow[] }).links.find((l) => l.code === code);
}

/** A counter of `/metrics` by its full series name, e.g. `footfall_link_requests_total{kind="click",outcome="bot"}`. */
export async function metric(collector: CollectorProcess, series: string): Promise<number> {
  const text = await (await fetch(new URL('/metrics', collector.url))).text();
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return Number(line?.split(' ')[1] ?? 0);
}

export interface TargetSite {
  /** `http://127.0.0.1:PORT`: another origin than the collector's. */
  readonly url: string;
  /** Every path and query asked of it, in order. */
  readonly hits: string[];
  close(): Promise<void>;
}

/** A site of its own that links lead to: it answers every path with a page whose heading is the path. */
export async function startTargetSite(): Promise<TargetSite> {
  const hits: string[] = [];
  const server = createServer((req, res) => {
    hits.push(req.url ?? '');
    const path = (req.url ?? '/').split('?')[0]!.replace(/[^\w/.-]/g, '');
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(`<!doctype html><title>${path}</title><h1>${path}</h1>`);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    hits,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
