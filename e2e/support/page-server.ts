import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A page served by a real server on 127.0.0.1 (Chromium lets a page reach the
 * collector on loopback only from loopback); `html` may be made at each request.
 */
export async function servePage(html: string | (() => string)): Promise<{ origin: string; close(): Promise<void> }> {
  const server = createServer((_, res) =>
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(typeof html === 'string' ? html : html()),
  );
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { origin: `http://127.0.0.1:${port}`, close: () => new Promise((resolve) => server.close(() => resolve())) };
}
