import { type ChildProcess, spawn } from 'node:child_process';
import { closeSync, existsSync, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
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
const dir = mkdtempSync(join(tmpdir(), 'footfall-bench-'));
const servers: ChildProcess[] = [];
const headers = {
  'content-type': 'application/json',
  'user-agent': 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36',
};

async function start(command: string[], env: Record<string, string>): Promise<{ child: ChildProcess; url: string }> {
  // Output goes to a file, as a service manager keeps it: a pipe this process reads would pace the server.
  const logPath = join(dir, `${servers.length}.log`);
  const log = openSync(logPath, 'w');
  const child = spawn(process.execPath, command, { env: { ...process.env, PORT: '0', ...env }, stdio: ['ignore', log, 'inherit'] });
  closeSync(log);
  servers.push(child);
  for (let waited = 0; waited < 15_000; waited += 50) {
    const found = /"url":"(http:[^"]+)"/.exec(readFileSync(logPath, 'utf8'));
    if (found?.[1]) return { child, url: found[1] };
    if (child.exitCode !== null) break;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`${command.join(' ')} did not start:\n${readFileSync(logPath, 'utf8')}`);
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
try {
  console.log(`POST /event: ${rounds} rounds of ${seconds} s a server, ${connections} connections, Node ${process.version}`);
  const env = { DATABASE_URL: join(dir, 'bench.db'), RATE_LIMIT: 'off' };
  const targets = [
    { name: 'bare node:http', ...(await start(['--import', 'tsx', join(root, 'bench/bare-server.ts')], {})) },
    { name: 'collector', ...(await start([main], { ...env, LOG_REQUESTS: 'true' })) },
    { name: 'collector, no req log', ...(await start([main], { ...env, DATABASE_URL: join(dir, 'quiet.db'), LOG_REQUESTS: 'false' })) },
  ];
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
