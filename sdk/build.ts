import { copyFileSync, mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

// Builds the tracker twice: the script-tag file (dist/footfall.js) and the npm package (dist/sdk/).

const root = fileURLToPath(new URL('..', import.meta.url));
const target = ['es2022'];

await build({
  absWorkingDir: root,
  entryPoints: ['sdk/script.ts'],
  outfile: 'dist/footfall.js',
  bundle: true,
  minify: true,
  format: 'iife',
  target,
  legalComments: 'none',
});

await build({
  absWorkingDir: root,
  entryPoints: ['sdk/index.ts'],
  outfile: 'dist/sdk/index.js',
  bundle: true,
  format: 'esm',
  target,
});

mkdirSync(`${root}dist/sdk`, { recursive: true });
copyFileSync(`${root}sdk/package.json`, `${root}dist/sdk/package.json`);
copyFileSync(`${root}dist/footfall.js`, `${root}dist/sdk/footfall.js`);
