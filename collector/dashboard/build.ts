import { copyFileSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { basename, join } from 'node:path';
import { build } from 'esbuild';

/**
 * Builds the dashboard into `dist/dashboard/`: one script and one stylesheet
 * (uPlot's own CSS bundled in), both named by a hash of their content, and
 * `index.html` pointing at them. Nothing is loaded from anywhere else.
 */
export async function buildDashboard(root: string): Promise<void> {
  const out = join(root, 'dist/dashboard');
  rmSync(out, { recursive: true, force: true });
  const result = await build({
    absWorkingDir: root,
    entryPoints: { dashboard: 'collector/dashboard/ui/main.ts' },
    outdir: 'dist/dashboard/assets',
    entryNames: '[name]-[hash]',
    assetNames: '[name]-[hash]',
    bundle: true,
    minify: true,
    format: 'esm',
    target: ['chrome100', 'firefox100', 'safari15'],
    sourcemap: 'linked',
    metafile: true,
    banner: { js: '/*! Footfall dashboard. Includes uPlot (MIT licence, (c) Leon Sorokin): uPlot.LICENSE.txt */' },
    logLevel: 'warning',
  });

  const [script, output] = Object.entries(result.metafile.outputs).find(([, o]) => o.entryPoint === 'collector/dashboard/ui/main.ts') ?? [];
  if (!script || !output?.cssBundle) throw new Error('the dashboard build made no script or stylesheet');
  const assets = join(out, 'assets');
  mkdirSync(assets, { recursive: true });
  copyFileSync(join(root, 'node_modules/uplot/LICENSE'), join(assets, 'uPlot.LICENSE.txt'));
  const icon = hashedCopy(join(root, 'collector/dashboard/favicon.svg'), assets);

  const page = readFileSync(join(root, 'collector/dashboard/index.html'), 'utf8')
    .replaceAll('{{script}}', `/dashboard/assets/${basename(script)}`)
    .replaceAll('{{style}}', `/dashboard/assets/${basename(output.cssBundle)}`)
    .replaceAll('{{icon}}', `/dashboard/assets/${icon}`);
  if (/\{\{\w+\}\}/.test(page)) throw new Error(`index.html has a placeholder the build does not fill: ${/\{\{\w+\}\}/.exec(page)?.[0]}`);
  writeFileSync(join(out, 'index.html'), page);
}

/** Copies a file under a name with its content hash, `favicon-1a2b3c4d.svg`, and returns that name. */
function hashedCopy(file: string, dir: string): string {
  const body = readFileSync(file);
  const name = basename(file).replace(/(\.\w+)$/, `-${createHash('sha256').update(body).digest('hex').slice(0, 8)}$1`);
  writeFileSync(join(dir, name), body);
  return name;
}
