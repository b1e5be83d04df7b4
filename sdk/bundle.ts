import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import { type BuildOptions, build } from 'esbuild';

// How the tracker is bundled, shared by the build and the size test.

/** Browsers the tracker runs in: those with optional chaining, keepalive fetch and sendBeacon. */
export const TARGET = ['chrome91', 'edge91', 'firefox90', 'safari15'];

/** The most the script-tag file may weigh, gzip -9, as served. */
export const SCRIPT_BUDGET_GZIP = 1800;

/** The script-tag file: one minified IIFE whose only global is `window.footfall`. */
export const SCRIPT_BUILD: BuildOptions = {
  entryPoints: ['sdk/script.ts'],
  bundle: true,
  minify: true,
  format: 'iife',
  target: TARGET,
  legalComments: 'none',
};

/** Bundles the script-tag file in memory and returns its text. */
export async function bundleScript(root: string): Promise<string> {
  const result = await build({ ...SCRIPT_BUILD, absWorkingDir: root, write: false, outfile: 'footfall.js' });
  return result.outputFiles[0]!.text;
}

/** Bytes of `text` compressed as a web server would serve it: gzip -9 and brotli at its best. */
export function compressedSizes(text: string | Buffer): { gzip: number; brotli: number } {
  return {
    gzip: gzipSync(text, { level: 9 }).length,
    brotli: brotliCompressSync(text, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length,
  };
}
