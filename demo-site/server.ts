import { readFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize } from 'node:path';

export interface DemoSiteOptions {
  /** The folder the pages are in. */
  readonly root: string;
  /** The collector's origin, written into each page's script tag. */
  readonly collectorUrl: string;
  readonly port: number;
  readonly host?: string;
  /** Pages served before the files, by URL path (the test suite adds its own here). */
  readonly pages?: ReadonlyMap<string, string>;
}

export interface RunningDemoSite {
  readonly url: string;
  close(): Promise<void>;
}

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.js': 'application/javascript; charset=utf-8',
  '.pdf': 'application/pdf',
  '.svg': 'image/svg+xml',
};

/**
 * Serves the demo pages as a customer's own web server would, on an origin of
 * its own, with pretty URLs (`/pricing` → pricing.html). `{{COLLECTOR}}` in a
 * page becomes the collector's origin: the one line a customer pastes.
 */
export async function startDemoSite(options: DemoSiteOptions): Promise<RunningDemoSite> {
  const server: Server = createServer(async (req, res) => {
    const pathname = decodeURIComponent(new URL(req.url ?? '/', 'http://demo').pathname);
    const page = options.pages?.get(pathname);
    const file = page === undefined ? resolvePage(options.root, pathname) : pathname;
    try {
      if (!file || (req.method !== 'GET' && req.method !== 'HEAD')) throw new Error('not found');
      const type = TYPES[extname(file) || '.html'] ?? 'application/octet-stream';
      let body: Buffer | string = page ?? (await readFile(file));
      if (type.startsWith('text/html')) body = body.toString('utf8').replaceAll('{{COLLECTOR}}', options.collectorUrl);
      res.writeHead(200, { 'Content-Type': type, 'Cache-Control': 'no-cache' }).end(req.method === 'HEAD' ? undefined : body);
    } catch {
      res.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8' }).end('Not found');
    }
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, resolve);
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://localhost:${port}`,
    close: () =>
      new Promise((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/** The file for a URL path, never outside the root. */
function resolvePage(root: string, pathname: string): string | null {
  if (pathname.includes('\0')) return null;
  // The single-page app answers every path under /app/ with its one page, as an SPA's server does.
  const relative =
    pathname === '/' ? 'index.html' : pathname.startsWith('/app/') ? 'app.html' : extname(pathname) ? pathname : `${pathname}.html`;
  const file = normalize(join(root, relative));
  return file.startsWith(normalize(root)) && !relative.endsWith('.ts') ? file : null;
}
