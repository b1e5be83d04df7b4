import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Hono } from 'hono';
import { Refusal } from './refusal.ts';

/** The SDK's npm package as this collector serves it: the tarball the build packed. */
export interface SdkPackage {
  /** `footfall-sdk-0.1.0.tgz` */
  readonly fileName: string;
  readonly version: string;
  readonly body: Uint8Array<ArrayBuffer>;
  /** The tarball's SHA-512 as npm's lockfile writes it (`integrity`). */
  readonly integrity: string;
}

const TARBALL = /^footfall-sdk-(\d+\.\d+\.\d+(?:-[\w.]+)?)\.tgz$/;

/**
 * Reads the one tarball the build packed into `dir`; null when there is none
 * (the collector then says to build), or when there are several (which would
 * be served is not for the collector to guess).
 */
export function loadSdkPackage(dir: string): SdkPackage | null {
  let names: string[];
  try {
    names = readdirSync(dir).filter((name) => TARBALL.test(name));
  } catch {
    return null;
  }
  const [fileName] = names;
  if (names.length !== 1 || !fileName) return null;
  const body = readFileSync(join(dir, fileName));
  return Object.freeze({
    fileName,
    version: TARBALL.exec(fileName)?.[1] ?? '',
    body,
    integrity: `sha512-${createHash('sha512').update(body).digest('base64')}`,
  });
}

/**
 * `/sdk/footfall-sdk-VERSION.tgz`: the package `npm install URL` takes, the
 * exact build this collector speaks, cached for good (a version is never
 * packed twice with other contents); `/sdk/footfall-sdk.tgz` redirects to it.
 */
export function sdkPackageRoutes(sdk: SdkPackage | null): Hono {
  const app = new Hono();
  const unbuilt = () => new Refusal(404, 'the SDK package has not been built; run npm run build, then restart the collector');

  // The bare name follows upgrades: within the hour, as the bare script URL does.
  app.get('/sdk/footfall-sdk.tgz', (c) => {
    if (!sdk) throw unbuilt();
    c.header('Cache-Control', 'public, max-age=3600');
    return c.redirect(`/sdk/${sdk.fileName}`, 302);
  });

  app.get('/sdk/:file', (c) => {
    if (!sdk) throw unbuilt();
    if (c.req.param('file') !== sdk.fileName)
      throw new Refusal(404, `this collector serves footfall-sdk ${sdk.version} only, at /sdk/${sdk.fileName}`);
    const etag = `"${sdk.integrity}"`;
    c.header('Cache-Control', 'public, max-age=31536000, immutable');
    c.header('ETag', etag);
    c.header('X-Footfall-Version', sdk.version);
    c.header('X-Footfall-Integrity', sdk.integrity);
    c.header('X-Content-Type-Options', 'nosniff');
    if (c.req.header('If-None-Match') === etag) return c.body(null, 304);
    c.header('Content-Type', 'application/octet-stream');
    return c.body(sdk.body);
  });

  return app;
}
