import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';
import { ROOT } from './support/collector-process.ts';
import { expect, test } from './support/fixtures.ts';

// The npm package as a customer installs it: packed with npm pack, installed
// from the tarball into an app, bundled by esbuild, run in Chromium.

const APP = `
import { init, track } from 'footfall-sdk';

init({ site: 'demo', api: window.COLLECTOR, includeLocalhost: true });
document.querySelector('#next').addEventListener('click', () => history.pushState({}, '', '/shop/cart'));
document.querySelector('#buy').addEventListener('click', () => track('Purchase', { props: { items: 2 }, revenue: { amount: 49.9, currency: 'EUR' } }));
`;

test('an app bundled against the packed tarball counts its navigations and events', async ({ page, footfall }) => {
  const dir = mkdtempSync(join(tmpdir(), 'footfall-npm-'));
  try {
    execFileSync('npm', ['pack', join(ROOT, 'dist/sdk'), '--pack-destination', dir, '--silent'], { cwd: dir, stdio: 'pipe' });
    const tarball = readdirSync(dir).find((name) => name.endsWith('.tgz'))!;
    writeFileSync(join(dir, 'package.json'), '{"name":"shop","private":true,"type":"module"}');
    execFileSync('npm', ['install', '--offline', '--no-audit', '--no-fund', '--silent', `./${tarball}`], { cwd: dir, stdio: 'pipe' });
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
