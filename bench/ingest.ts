import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';

// POST /event throughput: the built collector against a bare node:http server
// that only parses the JSON and answers 202. Each server runs as its own
// process; autocannon drives it from this one. `npm run bench` (after
// `npm run build`); BENCH_SECONDS and BENCH_CONNECTIONS tune the run.

const root = fileURLToPath(new URL('..', import.meta.url));
const seconds = Number(process.env.BENCH_SECONDS ?? 10);
const connections = Number(process.env.BENCH_CONNECTIONS ?? 50);
const main = join(root, 'dist/collector/main.js');
if (!existsSync(main)) throw new Error('dist/collector/main.js is missing: run npm run build first');

const body = JSON.stringify({
  site_id: 'bench',
  event_type: 'page_view',
  path: '/pricing',
  url: 'https://bench.example/pricing?utm_source=newsletter',
  referrer: 'https://www.google.com/',
  timestamp: new Date().toISOString(),
});
const headers = {
  'content-type': 'application/json',
  'user-agent': 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36',
};

async function start(command: string[], env: Record<string, string>): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(process.execPath, command, { env: { ...process.env, PORT: '0', ...env }, stdio: ['ignore', 'pipe', 'inherit'] });
  const url = await new Promise<string>((resolve, reject) => {
    let seen = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      seen += chunk.toString();
      const found = /"url":"(http:[^"]+)"/.exec(seen);
      if (found?.[1]) resolve(found[1]);
    });
    child.once('exit', (code) => reject(new Error(`${command.join(' ')} exited with ${code}`)));
  });
  child.stdout!.resume();
  return { child, url };
}

async function measure(url: string, duration: number): Promise<{ rate: number; p50: number; p99: number; bad: number }> {
  const result = await autocannon({ url: `${url}/event`, method: 'POST', headers, body, connections, duration });
  return { rate: result.requests.average, p50: result.latency.p50, p99: result.latency.p99, bad: result.non2xx + result.errors };
}

async function stop(child: ChildProcess): Promise<void> {
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  await exited;
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
const rounds = Number(process.env.BENCH_ROUNDS ?? 3);
const dir = mkdtempSync(join(tmpdir(), 'footfall-bench-'));
const servers: ChildProcess[] = [];
try {
  console.log(`POST /event: ${rounds} rounds of ${seconds} s a server, ${connections} connections, Node ${process.version}`);
  const env = { DATABASE_URL: join(dir, 'bench.db'), RATE_LIMIT: 'off' };
  const targets = [
    { name: 'bare node:http', ...(await start(['--import', 'tsx', join(root, 'bench/bare-server.ts')], {})) },
    { name: 'collector', ...(await start([main], { ...env, LOG_REQUESTS: 'true' })) },
    { name: 'collector, no req log', ...(await start([main], { ...env, DATABASE_URL: join(dir, 'quiet.db'), LOG_REQUESTS: 'false' })) },
  ];
  servers.push(...targets.map((t) => t.child));
  // Each server gets a warm-up, then the servers take turns, so that a machine
  // that slows down or speeds up weighs on all of them alike.
  for (const t of targets) await measure(t.url, 2);
  const rates = new Map(targets.map((t) => [t.name, [] as number[]]));
  for (let round = 1; round <= rounds; round++) {
    for (const t of targets) {
      const r = await measure(t.url, seconds);
      rates.get(t.name)!.push(r.rate);
      console.log(`round ${round}  ${t.name.padEnd(22)} ${Math.round(r.rate).toString().padStart(7)} req/s   p50 ${r.p50} ms, p99 ${r.p99} ms   ${r.bad} not 2xx`);
    }
  }
  const bare = rates.get('bare node:http')!;
  for (const t of targets.slice(1)) {
    const ratios = rates.get(t.name)!.map((rate, i) => rate / bare[i]!);
    console.log(`${t.name.padEnd(22)} median ${Math.round(median(rates.get(t.name)!))} req/s = ${median(ratios).toFixed(2)} of bare node:http (median of per-round ratios)`);
  }
  console.log(`${'bare node:http'.padEnd(22)} median ${Math.round(median(bare))} req/s`);
} finally {
  await Promise.all(servers.map(stop));
  rmSync(dir, { recursive: true, force: true });
}
