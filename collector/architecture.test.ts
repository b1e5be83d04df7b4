import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, normalize, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

/*
 * The map of the code, held true: every folder of source is listed here with
 * its main file, whose header comment says what the folder is and what it may
 * import; the imports of its files keep to that, and the architecture page
 * names it. A new folder fails here until it has its place.
 */

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');

/** Each folder of source, and its main file. A folder not listed belongs to the nearest listed one above it. */
const FOLDERS: Record<string, string> = {
  collector: 'main.ts',
  'collector/access': 'index.ts',
  'collector/admin': 'site-registry.ts',
  'collector/cli': 'main.ts',
  'collector/dashboard': 'routes.ts',
  'collector/dashboard/ui': 'main.ts',
  'collector/importers': 'umami.ts',
  'collector/ingest': 'routes.ts',
  'collector/insights': 'routes.ts',
  'collector/lifecycle': 'routes.ts',
  'collector/links': 'index.ts',
  'collector/ops': 'health.ts',
  'collector/reports': 'routes.ts',
  'collector/stats': 'routes.ts',
  'collector/store': 'store.ts',
  sdk: 'index.ts',
  'demo-site': 'start.ts',
  testing: 'reference-model.ts',
  bench: 'run.ts',
  e2e: 'playwright.config.ts',
};
/** Folders that are a part of the listed folder above them. */
const PARTS = [
  'collector/ingest/enrich',
  'collector/store/migrations',
  'collector/store/sqlite',
  'collector/store/postgres',
  'bench/support',
  'e2e/support',
];
const NAMES = Object.keys(FOLDERS).sort((a, b) => b.length - a.length);
const SKIPPED = new Set(['node_modules', 'dist', 'test-results', 'playwright-report', 'data', '.git']);

function sourceFiles(dir = ROOT): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    if (entry.name.startsWith('.') || SKIPPED.has(entry.name)) return [];
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return /\.(ts|js)$/.test(entry.name) ? [relative(ROOT, path)] : [];
  });
}

/** The listed folder a file (or folder) belongs to, or null for the project's top level. */
function folderOf(path: string): string | null {
  return NAMES.find((name) => path === name || path.startsWith(`${name}/`)) ?? null;
}

/** The folders a main file's header says its folder may import: `anything`, `nothing`, or folder names. */
function mayImport(folder: string): { header: string; allowed: Set<string> | 'anything' } {
  const text = readFileSync(join(ROOT, folder, FOLDERS[folder]!), 'utf8');
  const header = /^\/\*\*[\s\S]*?\*\//.exec(text)?.[0] ?? '';
  const clause = /May import:([\s\S]*?)\*\//.exec(header)?.[1]?.replace(/\s*\*\s*/g, ' ') ?? '';
  if (/^\s*anything\b/.test(clause)) return { header, allowed: 'anything' };
  const named = clause.match(/\b(collector(?:\/[a-z-]+)*|sdk|testing|demo-site|e2e|bench)\b/g) ?? [];
  return { header, allowed: new Set(named) };
}

function importsOf(file: string): string[] {
  const text = readFileSync(join(ROOT, file), 'utf8');
  const specifiers = [...text.matchAll(/^\s*(?:import|export)\b[^'"]*?\bfrom\s*['"](\.{1,2}\/[^'"]+)['"]/gm)].map((m) => m[1]!);
  return specifiers.map((s) => normalize(join(dirname(file), s)));
}

const isTest = (file: string) => /\.(test|spec)\.ts$/.test(file);

describe('the map of the code', () => {
  const files = sourceFiles();

  it('lists every folder that holds source, and each listed folder exists', () => {
    const listed = new Set([...Object.keys(FOLDERS), ...PARTS]);
    const unlisted = [...new Set(files.map((f) => dirname(f)))].filter((dir) => dir !== '.' && !listed.has(dir));
    expect(unlisted, 'folders of source with no place in the map').toEqual([]);
    for (const folder of Object.keys(FOLDERS)) expect(files, folder).toContain(join(folder, FOLDERS[folder]!));
  });

  it('gives each folder a header in its main file saying what it is and what it may import', () => {
    for (const folder of Object.keys(FOLDERS)) {
      const { header } = mayImport(folder);
      expect(header, `${folder}/${FOLDERS[folder]} begins with a header comment naming its folder`).toContain(`${folder}/`);
      expect(header, `${folder}/${FOLDERS[folder]}'s header says what the folder may import`).toMatch(/May import:/);
    }
  });

  it('keeps every file to what its folder may import (tests may import anything)', () => {
    const crossings: string[] = [];
    for (const file of files.filter((f) => !isTest(f) && folderOf(f) !== null)) {
      const from = folderOf(file)!;
      const { allowed } = mayImport(from);
      if (allowed === 'anything') continue;
      for (const target of importsOf(file)) {
        const to = folderOf(target);
        if (to === null || to === from || allowed.has(to)) continue;
        crossings.push(`${file} imports ${target} (${from} may not import ${to})`);
      }
    }
    expect(crossings).toEqual([]);
  });

  it('names every folder in docs/architecture.md', () => {
    const page = readFileSync(join(ROOT, 'docs/architecture.md'), 'utf8');
    for (const folder of Object.keys(FOLDERS)) expect(page, folder).toContain(`\`${folder}/\``);
  });
});
