import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadSdkPackage, sdkPackageRoutes } from './sdk-package.ts';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function packedDir(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'footfall-sdk-package-'));
  dirs.push(dir);
  for (const [name, body] of Object.entries(files)) writeFileSync(join(dir, name), body);
  return dir;
}

describe('the SDK package', () => {
  it('serves the packed tarball at its versioned name, cached for good, with the integrity npm records', async () => {
    const sdk = loadSdkPackage(packedDir({ 'footfall-sdk-1.2.3.tgz': 'tarball bytes', 'README.txt': 'not a tarball' }));
    expect(sdk).toMatchObject({ fileName: 'footfall-sdk-1.2.3.tgz', version: '1.2.3' });
    const res = await sdkPackageRoutes(sdk).request('/sdk/footfall-sdk-1.2.3.tgz');
    expect(res.status).toBe(200);
    expect(await res.text()).toBe('tarball bytes');
    expect(res.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect(res.headers.get('content-type')).toBe('application/octet-stream');
    expect(res.headers.get('x-footfall-version')).toBe('1.2.3');
    const integrity = `sha512-${createHash('sha512').update('tarball bytes').digest('base64')}`;
    expect(res.headers.get('x-footfall-integrity')).toBe(integrity);

    const again = await sdkPackageRoutes(sdk).request('/sdk/footfall-sdk-1.2.3.tgz', { headers: { 'if-none-match': `"${integrity}"` } });
    expect(again.status).toBe(304);
  });

  it('redirects the unversioned name to the current version, for an hour', async () => {
    const sdk = loadSdkPackage(packedDir({ 'footfall-sdk-0.4.0-beta.1.tgz': 'x' }));
    const res = await sdkPackageRoutes(sdk).request('/sdk/footfall-sdk.tgz');
    expect(res.status).toBe(302);
    expect(res.headers.get('location')).toBe('/sdk/footfall-sdk-0.4.0-beta.1.tgz');
    expect(res.headers.get('cache-control')).toBe('public, max-age=3600');
  });

  it('names the version it serves when asked for another', async () => {
    const sdk = loadSdkPackage(packedDir({ 'footfall-sdk-1.2.3.tgz': 'x' }));
    const res = await sdkPackageRoutes(sdk).request('/sdk/footfall-sdk-1.0.0.tgz');
    expect(res.status).toBe(404);
    expect(await res.json()).toEqual({
      status: 'error',
      message: 'this collector serves footfall-sdk 1.2.3 only, at /sdk/footfall-sdk-1.2.3.tgz',
    });
  });

  it('says to build when there is no tarball, or no single one', async () => {
    for (const dir of [
      join(tmpdir(), 'footfall-no-such-dir'),
      packedDir({}),
      packedDir({ 'footfall-sdk-1.0.0.tgz': 'a', 'footfall-sdk-1.1.0.tgz': 'b' }),
    ]) {
      const sdk = loadSdkPackage(dir);
      expect(sdk).toBeNull();
      for (const path of ['/sdk/footfall-sdk.tgz', '/sdk/footfall-sdk-1.0.0.tgz']) {
        const res = await sdkPackageRoutes(sdk).request(path);
        expect(res.status).toBe(404);
        expect(await res.json()).toMatchObject({ message: expect.stringMatching(/npm run build/) });
      }
    }
  });
});
