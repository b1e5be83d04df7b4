import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { COMPAT_BUDGET_GZIP, compressedSizes, SCRIPT_BUDGET_GZIP } from './bundle.ts';

// `npm run size`: what the tracker weighs as served, after `npm run build`.

const root = fileURLToPath(new URL('..', import.meta.url));
const files = [
  ['dist/footfall.js', 'script tag'],
  ['dist/footfall-compat.js', "at Plausible's and Umami's script paths"],
  ['dist/sdk/index.js', 'npm package (before the app bundler minifies it)'],
];

for (const [file, what] of files) {
  let text: Buffer;
  try {
    text = readFileSync(root + file!);
  } catch {
    process.stderr.write(`${file} is missing: run npm run build\n`);
    process.exit(1);
  }
  const { gzip, brotli } = compressedSizes(text);
  process.stdout.write(
    `${file!.padEnd(20)} ${String(text.length).padStart(6)} B   gzip -9 ${String(gzip).padStart(5)} B   brotli ${String(brotli).padStart(5)} B   ${what}\n`,
  );
}
process.stdout.write(`budget for the script tag: ${SCRIPT_BUDGET_GZIP} B gzip -9; for the compat script: ${COMPAT_BUDGET_GZIP} B\n`);
