import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { basename } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import ts from 'typescript';
import { bundleScript, TARGET } from './bundle.ts';

// Builds the tracker: the script-tag file (dist/footfall.js), the same tracker
// for Plausible's and Umami's snippets (dist/footfall-compat.js), and the npm
// package (dist/sdk/: ESM, type declarations, package.json), packed as the
// tarball the collector serves (dist/sdk-package/footfall-sdk-VERSION.tgz).

const root = fileURLToPath(new URL('..', import.meta.url));
const out = `${root}dist/sdk/`;

mkdirSync(out, { recursive: true });
writeFileSync(`${root}dist/footfall.js`, await bundleScript(root));
writeFileSync(`${root}dist/footfall-compat.js`, await bundleScript(root, 'sdk/compat.ts'));

await build({
  absWorkingDir: root,
  entryPoints: ['sdk/index.ts'],
  outfile: 'dist/sdk/index.js',
  define: { FOOTFALL_COMPAT: 'false' },
  bundle: true,
  format: 'esm',
  target: TARGET,
});

writeDeclarations();
copyFileSync(`${root}sdk/package.json`, `${out}package.json`);
copyFileSync(`${root}sdk/README.md`, `${out}README.md`);
copyFileSync(`${root}dist/footfall.js`, `${out}footfall.js`);
packTarball();

/** Packs dist/sdk with npm itself, so the tarball is the one `npm publish` would upload; one tarball, this build's. */
function packTarball(): void {
  const dir = `${root}dist/sdk-package/`;
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  execFileSync('npm', ['pack', out, '--pack-destination', dir, '--silent', '--ignore-scripts'], { cwd: root, stdio: 'pipe' });
}

/**
 * Emits the package's .d.ts files, flat beside index.js. Only the SDK's own
 * modules are kept: a declaration that reached outside sdk/ (the collector's
 * wire types) would not exist in the package, so it fails the build.
 */
function writeDeclarations(): void {
  const program = ts.createProgram([`${root}sdk/index.ts`], {
    declaration: true,
    emitDeclarationOnly: true,
    strict: true,
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.ESNext,
    moduleResolution: ts.ModuleResolutionKind.Bundler,
    allowImportingTsExtensions: true,
    rewriteRelativeImportExtensions: true,
    lib: ['lib.es2022.d.ts', 'lib.dom.d.ts', 'lib.dom.iterable.d.ts'],
    types: [],
    skipLibCheck: true,
    outDir: out,
    rootDir: root,
  });
  const errors = ts.getPreEmitDiagnostics(program);
  if (errors.length)
    throw new Error(
      ts.formatDiagnostics(errors, { getCanonicalFileName: (f) => f, getCurrentDirectory: () => root, getNewLine: () => '\n' }),
    );
  const wanted = new Set(['index.d.ts', 'tracker.d.ts', 'options.d.ts']);
  mkdirSync(out, { recursive: true });
  program.emit(undefined, (file, text) => {
    const name = basename(file);
    if (!file.includes('/sdk/sdk/') || !wanted.has(name)) return;
    if (/from '\.\.\//.test(text)) throw new Error(`${name} refers outside the package:\n${text}`);
    // Consumers resolve the emitted files: './tracker.ts' is './tracker.js' (types in tracker.d.ts).
    writeFileSync(out + name, text.replace(/(from '\.\/[\w-]+)\.ts'/g, "$1.js'"));
  });
}
