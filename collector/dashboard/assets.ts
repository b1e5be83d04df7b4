import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { extname, join } from 'node:path';

/** One built file, held in memory: the dashboard is a few hundred kilobytes. */
export interface DashboardAsset {
  readonly body: Uint8Array;
  readonly type: string;
  readonly etag: string;
}

/** The built dashboard: its HTML page and the hashed files it loads. */
export interface DashboardAssets {
  readonly page: DashboardAsset;
  /** A file of `assets/` by name, such as `dashboard-3FJ2K.js`. */
  asset(name: string): DashboardAsset | undefined;
}

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.txt': 'text/plain; charset=utf-8',
};

/**
 * Reads the dashboard the build wrote (`index.html` and `assets/`); null when
 * it has not been built, and the collector then says so instead of serving it.
 */
export function loadDashboardAssets(dir: string): DashboardAssets | null {
  let page: DashboardAsset;
  try {
    page = toAsset(readFileSync(join(dir, 'index.html')), '.html');
  } catch {
    return null;
  }
  const files = new Map<string, DashboardAsset>();
  for (const name of safeList(join(dir, 'assets'))) {
    const type = extname(name);
    if (TYPES[type]) files.set(name, toAsset(readFileSync(join(dir, 'assets', name)), type));
  }
  return Object.freeze({ page, asset: (name: string) => files.get(name) });
}

/**
 * The page as this collector serves it: its `footfall-script` meta tag names
 * the tracker's path (`FOOTFALL_SCRIPT_PATH`), for the snippet a new site is shown.
 */
export function withScriptPath(page: DashboardAsset, scriptPath: string): DashboardAsset {
  const meta = (path: string) => `<meta name="footfall-script" content="${path}">`;
  const html = Buffer.from(page.body).toString('utf8');
  if (!html.includes(meta('/footfall.js'))) return page;
  return toAsset(Buffer.from(html.replace(meta('/footfall.js'), meta(scriptPath))), '.html');
}

function toAsset(body: Uint8Array, ext: string): DashboardAsset {
  const etag = `"${createHash('sha256').update(body).digest('base64url').slice(0, 22)}"`;
  return Object.freeze({ body, type: TYPES[ext] ?? 'application/octet-stream', etag });
}

function safeList(dir: string): string[] {
  try {
    return readdirSync(dir);
  } catch {
    return [];
  }
}
