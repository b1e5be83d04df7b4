import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import { build } from 'esbuild';
import { minify } from 'uglify-js';

// How the tracker is bundled, shared by the build and the size test.

/** Browsers the tracker runs in: those with optional chaining, keepalive fetch and sendBeacon. */
export const TARGET = ['chrome91', 'edge91', 'firefox90', 'safari15'];

/**
 * The most the script-tag file may weigh, gzip -9 (Node's zlib at level 9,
 * which makes it a few bytes larger than GNU gzip -9 does), as served, every
 * behaviour included: the size test fails one byte over.
 */
export const SCRIPT_BUDGET_GZIP = 1280;

/**
 * The script-tag file: one IIFE whose only global is `window.footfall`.
 * esbuild bundles the modules into one scope and simplifies the syntax;
 * uglify-js compresses and mangles. Measured on this code, gzip -9: 1,300
 * bytes with terser (3 passes), 1,289 with uglify-js, which inlines the
 * single-use functions that terser leaves as calls, and 1,281 when it keeps
 * `let` rather than turn it into `var` (`varify`): `let` is what the rest of
 * the code says, so it compresses. The bundle's "use strict" goes: the code
 * needs none of it, and it is 13 bytes that do not compress.
 */
export async function bundleScript(root: string, entry = 'sdk/script.ts'): Promise<string> {
  const bundled = await build({
    absWorkingDir: root,
    entryPoints: [entry],
    bundle: true,
    format: 'iife',
    minifySyntax: true,
    target: TARGET,
    legalComments: 'none',
    // Plausible's way: a flag per build, so the script tag drops what only the compat script uses.
    define: { FOOTFALL_COMPAT: String(entry === 'sdk/compat.ts') },
    write: false,
    outfile: 'footfall.js',
  });
  const { code, error } = minify(bundled.outputFiles[0]!.text.replace(/^"use strict";\n/, ''), {
    compress: { passes: 3, varify: false },
    mangle: true,
  });
  if (error) throw error;
  return code!;
}

/**
 * The script served at Plausible's and Umami's script paths (`sdk/compat.ts`):
 * the tracker and what reads the other tools' snippets, outside the
 * script tag's budget, as only a site that switches loads it. Measured: 2,380
 * bytes gzip -9 with every variant of both tools honoured (Plausible's own
 * script with all its extensions is larger).
 */
export const COMPAT_BUDGET_GZIP = 2560;

/** Bytes of `text` compressed as a web server would serve it: gzip -9 and brotli at its best. */
export function compressedSizes(text: string | Buffer): { gzip: number; brotli: number } {
  return {
    gzip: gzipSync(text, { level: 9 }).length,
    brotli: brotliCompressSync(text, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length,
  };
}
