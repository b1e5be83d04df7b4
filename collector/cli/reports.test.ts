import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { runCli } from './run.ts';
import { openSqliteStore } from '../store/sqlite/store.ts';
import { signBody } from '../reports/deliver.ts';

// `footfall reports …` over a SQLite file, delivering to an HTTP receiver on this machine.

let dir: string;
let receiver: Server;
let url: string;
const received: { body: string; signature: string }[] = [];
beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'footfall-reports-cli-'));
  received.length = 0;
  receiver = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
    req.on('end', () => {
      received.push({ body, signature: String(req.headers['x-footfall-signature']) });
      res.writeHead(200).end('ok');
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/`;
});
afterEach(async () => {
  await new Promise<void>((resolve) => receiver.close(() => resolve()));
  rmSync(dir, { recursive: true, force: true });
});

async function run(args: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const env = { DATABASE_URL: join(dir, 'footfall.db'), FOOTFALL_SITES: 'shop' };
  const code = await runCli(args, env, { out: (l) => out.push(l), err: (l) => err.push(l) });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

it('creates, lists, sends and deletes a schedule', async () => {
  const store = await openSqliteStore(join(dir, 'footfall.db'));
  await store.insertEvents([
    { site_id: 'shop', ts: Date.now() - 8 * 86_400_000, type: 'pageview', name: 'pageview', visitor_id: 'v', path: '/' },
  ]);
  await store.close();

  expect((await run(['reports', 'create', 'shop', '--kind', 'weekly', '--channel', 'email', '--target', 'a@example.com'])).err).toBe(
    'reports create: email needs SMTP_URL to be set',
  );
  expect((await run(['reports', 'create', 'nope', '--kind', 'weekly', '--channel', 'webhook', '--target', url])).code).toBe(1);
  const created = await run(['reports', 'create', 'shop', '--kind', 'weekly', '--channel', 'webhook', '--target', url]);
  expect(created.code).toBe(0);
  const id = /Created (rs_[\w-]+)/.exec(created.out)![1]!;
  const secret = /shown once\): (\S+)/.exec(created.out)![1]!;
  expect((await run(['reports', 'list', 'shop'])).out).toContain(`${id}  weekly  webhook  ${url}`);

  const sent = await run(['reports', 'send', id]);
  expect(sent.code).toBe(0);
  expect(sent.out).toMatch(/^sent after 1 attempt\(s\): shop weekly report: /);
  expect(received).toHaveLength(1);
  expect(received[0]!.signature).toBe(signBody(secret, received[0]!.body));

  expect((await run(['reports', 'delete', id])).code).toBe(0);
  expect((await run(['reports', 'send', id])).err).toBe(`reports send: no schedule "${id}"`);
});
