import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import packageJson from '../../package.json' with { type: 'json' };

// The README is the first five minutes; docs/ holds one topic a page. These
// tests keep the two joined: every link leads somewhere, every page is reachable.

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const pages = [
  'README.md',
  ...readdirSync(join(root, 'docs'))
    .filter((f) => f.endsWith('.md'))
    .map((f) => `docs/${f}`),
];
const text = (page: string) => readFileSync(join(root, page), 'utf8');
/** Markdown without its fenced code blocks, where brackets are code. */
const prose = (page: string) => text(page).replace(/^```[\s\S]*?^```/gm, '');

/** GitHub's anchor of a heading: lower case, punctuation dropped, spaces to hyphens. */
function slug(heading: string): string {
  return heading
    .trim()
    .toLowerCase()
    .replace(/[`*_]/g, '')
    .replace(/[^\p{L}\p{N} -]/gu, '')
    .replace(/ /g, '-');
}

const anchors = (page: string) =>
  new Set(
    prose(page)
      .split('\n')
      .filter((l) => /^#{1,6} /.test(l))
      .map((l) => slug(l.replace(/^#+ /, ''))),
  );

describe('the documentation', () => {
  it('links only to files and headings that exist', () => {
    const broken: string[] = [];
    for (const page of pages) {
      for (const [, target] of prose(page).matchAll(/\]\(([^)\s]+)\)/g)) {
        if (/^[a-z]+:/.test(target!)) continue;
        const [file, anchor] = target!.split('#') as [string, string | undefined];
        const path = file === '' ? page : relative(root, resolve(root, dirname(page), file));
        if (!existsSync(join(root, path))) broken.push(`${page}: ${target} (no file ${path})`);
        else if (anchor !== undefined && path.endsWith('.md') && !anchors(path).has(anchor))
          broken.push(`${page}: ${target} (no heading #${anchor} in ${path})`);
      }
    }
    expect(broken).toEqual([]);
  });

  it('reaches every page of docs/ from the README', () => {
    const linked = new Set([...prose('README.md').matchAll(/\]\((docs\/[^)#\s]+)/g)].map((m) => m[1]));
    expect(pages.filter((p) => p.startsWith('docs/') && !linked.has(p))).toEqual([]);
  });

  it('names only npm scripts that exist', () => {
    const scripts = new Set(Object.keys(packageJson.scripts));
    const unknown: string[] = [];
    for (const page of pages) {
      for (const [, name] of text(page).matchAll(/npm run(?: -s)? ([a-z][\w:-]*)/g))
        if (!scripts.has(name!)) unknown.push(`${page}: npm run ${name}`);
    }
    expect(unknown).toEqual([]);
  });
});
