import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { buildDashboard } from './dashboard/build.ts';

// Bundles the collector (dist/collector/main.js) and the demo launcher that
// `npm start` runs (dist/demo-site/start.js). npm packages stay external.

const root = fileURLToPath(new URL('..', import.meta.url));

await build({
  absWorkingDir: root,
  entryPoints: { 'collector/main': 'collector/main.ts', 'demo-site/start': 'demo-site/start.ts' },
  outdir: 'dist',
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  packages: 'external',
  sourcemap: true,
  logLevel: 'warning',
});

// The dashboard's browser bundle and page (dist/dashboard/).
await buildDashboard(root);
