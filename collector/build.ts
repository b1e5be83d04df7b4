import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

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
