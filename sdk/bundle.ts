import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import { build } from 'esbuild';
import { minify } from 'terser';

// How the tracker is bundled, shared by the build and the size test.

/** Browsers the tracker runs in: those with optional chaining, keepalive fetch and sendBeacon. */
export const TARGET = ['chrome91', 'edge91', 'firefox90', 'safari15'];

/** The most the script-tag file may weigh, gzip -9, as served. */
export const SCRIPT_BUDGET_GZIP = 1800;

/**
 * The script-tag file: one IIFE whose only global is `window.footfall`.
 * esbuild bundles the modules into one scope and simplifies the syntax;
 * terser, about 20 bytes (gzip) better than esbuild's own minifier here,
 * compresses and mangles. The bundle's "use strict" goes: the code needs
 * none of it, and it is 13 bytes that do not compress.
 */
export async function bundleScript(root: string): Promise<string> {
  const bundled = await build({
    absWorkingDir: root,
    entryPoints: ['sdk/script.ts'],
    bundle: true,
    format: 'iife',
    minifySyntax: true,
    target: TARGET,
    legalComments: 'none',
    write: false,
    outfile: 'footfall.js',
  });
  const { code } = await minify(bundled.outputFiles[0]!.text.replace(/^"use strict";\n/, ''), {
    ecma: 2020,
    compress: { passes: 3 },
    mangle: true,
    format: { comments: false },
  });
  return `${code!}\n`;
}

/** Bytes of `text` compressed as a web server would serve it: gzip -9 and brotli at its best. */
export function compressedSizes(text: string | Buffer): { gzip: number; brotli: number } {
  return {
    gzip: gzipSync(text, { level: 9 }).length,
    brotli: brotliCompressSync(text, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length,
  };
}
