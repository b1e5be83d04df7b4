import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import { transformSync } from 'esbuild';
import type { Report } from './support/report.ts';

export const gzipSize = (code: string | Buffer) => gzipSync(code, { level: 9 }).length;
export const brotliSize = (code: string | Buffer) => brotliCompressSync(code, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length;

/** Peers' trackers as their packages publish them, fetched from the npm registry into a cache. */
const PEERS = [
  { name: 'Plausible (npm entry)', spec: '@plausible-analytics/tracker@0.4.6', file: 'plausible.js', minify: false },
  { name: 'Umami 2.10 (tracker source, minified here)', spec: 'umami@2.10.0', file: 'src/tracker/index.js', minify: true },
  { name: 'PostHog (array.js)', spec: 'posthog-js@1.449.2', file: 'dist/array.js', minify: false },
] as const;

function fetchPeer(cache: string, spec: string): string | null {
  const dir = join(cache, spec.replace(/[@/]/g, '_'));
  if (!existsSync(join(dir, 'package'))) {
    mkdirSync(dir, { recursive: true });
    try {
      execFileSync('npm', ['pack', spec, '--silent', '--pack-destination', dir], {
        stdio: ['ignore', 'ignore', 'ignore'],
        timeout: 120_000,
      });
      const tarball = readdirSync(dir).find((f) => f.endsWith('.tgz'));
      if (!tarball) return null;
      execFileSync('tar', ['xzf', tarball], { cwd: dir });
    } catch {
      return null;
    }
  }
  return join(dir, 'package');
}

/** 7. gzip and brotli bytes of the script-tag file and the npm entry, beside peers measured the same way. */
export function benchSdkSize(report: Report, root: string): void {
  const script = readFileSync(join(root, 'dist/footfall.js'));
  const entry = readFileSync(join(root, 'dist/sdk/index.js'));
  report.figures.push(
    {
      section: 'sdk size',
      name: 'footfall.js gzip -9',
      value: gzipSize(script),
      unit: 'B',
      goal: '≤ 1,200 B',
      met: gzipSize(script) <= 1200,
    },
    { section: 'sdk size', name: 'footfall.js brotli', value: brotliSize(script), unit: 'B' },
    {
      section: 'sdk size',
      name: 'npm entry gzip -9',
      value: gzipSize(entry),
      unit: 'B',
      note: "unminified ESM, as published: the site's own bundler minifies it",
    },
    { section: 'sdk size', name: 'npm entry brotli', value: brotliSize(entry), unit: 'B' },
  );

  const cache = join(root, 'bench/.cache');
  const ours = gzipSize(script);
  for (const peer of PEERS) {
    const dir = fetchPeer(cache, peer.spec);
    if (!dir) {
      report.figures.push({
        section: 'sdk size',
        name: peer.name,
        value: null,
        unit: 'B',
        note: `${peer.spec} could not be fetched from the npm registry`,
      });
      continue;
    }
    let code = readFileSync(join(dir, peer.file), 'utf8');
    if (peer.minify) code = transformSync(code, { minify: true, target: 'es2019' }).code;
    const size = gzipSize(code);
    report.figures.push({
      section: 'sdk size',
      name: `${peer.name} gzip -9`,
      value: size,
      unit: 'B',
      baseline: { name: 'footfall.js', value: ours },
      ratio: size / ours,
      note: `${peer.spec}, ${peer.file}; ratio = peer / Footfall`,
    });
  }
}
