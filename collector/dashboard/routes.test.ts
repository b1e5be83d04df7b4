import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadDashboardAssets } from './assets.ts';
import { DASHBOARD_CSP, dashboardRoutes } from './routes.ts';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'footfall-dashboard-'));
  mkdirSync(join(dir, 'assets'));
  writeFileSync(
    join(dir, 'index.html'),
    '<!doctype html><meta name="footfall-script" content="/footfall.js"><title>Footfall</title><script type="module" src="/dashboard/assets/dashboard-ABC.js"></script>',
  );
  writeFileSync(join(dir, 'assets', 'dashboard-ABC.js'), 'console.log(1)');
  writeFileSync(join(dir, 'assets', 'dashboard-ABC.css'), 'body{}');
  writeFileSync(join(dir, 'assets', 'notes.exe'), 'MZ');
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const app = () => dashboardRoutes({ assets: loadDashboardAssets(dir) });

describe('dashboard routes', () => {
  it('sends / to /dashboard, keeping a shared query', async () => {
    const res = await app().request('/?site=shop&period=7d');
    expect(res.status).toBe(302);
    expect(res.headers.get('location')).toBe('/dashboard?site=shop&period=7d');
    expect((await app().request('/')).headers.get('location')).toBe('/dashboard');
  });

  it('serves the page with a CSP that allows nothing from elsewhere', async () => {
    const res = await app().request('/dashboard');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(res.headers.get('content-security-policy')).toBe(DASHBOARD_CSP);
    expect(DASHBOARD_CSP).toContain("script-src 'self'");
    expect(DASHBOARD_CSP).not.toContain('unsafe-inline');
    expect(res.headers.get('cache-control')).toBe('no-cache');
    expect(await res.text()).toContain('<title>Footfall</title>');
  });

  it("names the tracker's path in the page, renamed when the collector renames it", async () => {
    expect(await (await app().request('/dashboard')).text()).toContain('<meta name="footfall-script" content="/footfall.js">');
    const renamed = dashboardRoutes({ assets: loadDashboardAssets(dir), scriptPath: '/js/app.js' });
    const res = await renamed.request('/dashboard');
    expect(await res.text()).toContain('<meta name="footfall-script" content="/js/app.js">');
    expect(res.headers.get('etag')).not.toBe((await app().request('/dashboard')).headers.get('etag'));
  });

  it('serves hashed files for a year, and answers 304 to a known ETag', async () => {
    const res = await app().request('/dashboard/assets/dashboard-ABC.js');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(res.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect(await res.text()).toBe('console.log(1)');
    const again = await app().request('/dashboard/assets/dashboard-ABC.js', { headers: { 'If-None-Match': res.headers.get('etag')! } });
    expect(again.status).toBe(304);
    expect((await app().request('/dashboard/assets/dashboard-ABC.css')).headers.get('content-type')).toBe('text/css; charset=utf-8');
  });

  it('serves nothing it did not build, and nothing outside its folder', async () => {
    expect((await app().request('/dashboard/assets/notes.exe')).status).toBe(404);
    expect((await app().request('/dashboard/assets/missing.js')).status).toBe(404);
    expect((await app().request('/dashboard/assets/..%2Findex.html')).status).toBe(404);
  });

  it('says how to build it when it has not been built', async () => {
    const res = await dashboardRoutes({ assets: loadDashboardAssets(join(dir, 'nowhere')) }).request('/dashboard');
    expect(res.status).toBe(404);
    expect(await res.text()).toContain('npm run build');
  });
});
