import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';
import { expect, test } from './support/fixtures.ts';

// The npm package as a customer installs it: from the running collector's own
// URL (the build it speaks), into an app in a folder of its own, bundled by
// esbuild, run in Chromium. npm is given an empty cache of its own and a
// registry that answers nothing: the install needs the collector and no network.

const APP = `
import { init, track } from 'footfall-sdk';

init({ site: 'demo', api: window.COLLECTOR, includeLocalhost: true });
document.querySelector('#next').addEventListener('click', () => history.pushState({}, '', '/shop/cart'));
document.querySelector('#buy').addEventListener('click', () => track('Purchase', { props: { items: 2 }, revenue: { amount: 49.9, currency: 'EUR' } }));
`;

test("an app installs the SDK from its collector's URL, bundles it and counts its navigations and events", async ({ page, footfall }) => {
  test.setTimeout(90_000);
  const dir = mkdtempSync(join(tmpdir(), 'footfall-npm-'));
  try {
    const current = await fetch(`${footfall.collector.url}/sdk/footfall-sdk.tgz`, { redirect: 'manual' });
    expect(current.status).toBe(302);
    const tarballUrl = new URL(current.headers.get('location')!, footfall.collector.url).href;
    expect(tarballUrl).toMatch(/\/sdk\/footfall-sdk-\d+\.\d+\.\d+\.tgz$/);

    writeFileSync(join(dir, 'package.json'), '{"name":"shop","private":true,"type":"module"}');
    // As the README says: npm install URL.
    execFileSync(
      'npm',
      [
        'install',
        '--no-audit',
        '--no-fund',
        '--no-update-notifier',
        '--cache',
        join(dir, '.npm'),
        '--registry',
        'http://127.0.0.1:9/',
        tarballUrl,
      ],
      { cwd: dir, stdio: 'pipe', timeout: 60_000 },
    );
    const installed = JSON.parse(readFileSync(join(dir, 'node_modules/footfall-sdk/package.json'), 'utf8'));
    expect(tarballUrl).toContain(`footfall-sdk-${installed.version}.tgz`);
    expect(JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')).dependencies).toEqual({ 'footfall-sdk': tarballUrl });
    mkdirSync(join(dir, 'src'));
    writeFileSync(join(dir, 'src/main.js'), APP);
    const bundle = await build({
      entryPoints: [join(dir, 'src/main.js')],
      absWorkingDir: dir,
      bundle: true,
      minify: true,
      format: 'esm',
      write: false,
    });
    const script = bundle.outputFiles[0]!.text;
    expect(script).not.toMatch(/optOut|optIn/); // tree-shaken: only what the app imports

    footfall.serveFile('/shop/app.js', script);
    const url = footfall.serveFile(
      '/shop/',
      `<!doctype html><title>Shop</title><script>window.COLLECTOR = "{{COLLECTOR}}"</script><script type="module" src="/shop/app.js"></script><button id="next">Cart</button><button id="buy">Buy</button>`,
    );
    await footfall.expectEvents(() => page.goto(url), { expect: [{ name: 'pageview', path: '/shop/' }] });
    await footfall.expectEvents(
      async () => {
        await page.getByRole('button', { name: 'Cart' }).click();
        await page.getByRole('button', { name: 'Buy' }).click();
      },
      {
        expect: [
          { name: 'pageview', path: '/shop/cart' },
          { name: 'Purchase', props: { items: 2 }, revenue_amount: 49.9, revenue_currency: 'EUR', path: '/shop/cart' },
        ],
      },
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
