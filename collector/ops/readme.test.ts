import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import packageJson from '../../package.json' with { type: 'json' };
import sdkPackageJson from '../../sdk/package.json' with { type: 'json' };
import { loadConfig } from '../config.ts';
import { loadSdkPackage, sdkPackageRoutes } from '../sdk-package.ts';
import { createTestCollector, type TestCollector } from '../../testing/test-collector.ts';

// The README's commands, snippet and calls are what a newcomer copies: each
// is held to what the code accepts, so that the two cannot drift apart.

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const readme = readFileSync(join(root, 'README.md'), 'utf8');
const blocks = (lang: string) => [...readme.matchAll(new RegExp(`^\`\`\`${lang}\\n([\\s\\S]*?)^\`\`\``, 'gm'))].map((m) => m[1]!);
const optionNames = [...readFileSync(join(root, 'sdk/options.ts'), 'utf8').matchAll(/^ {2}(\w+)\??:/gm)].map((m) => m[1]!);

let t: TestCollector | undefined;
afterEach(() => t?.close());

describe("the README's first five minutes", () => {
  it('runs commands npm has, on the ports the collector and demo site take by default', () => {
    const commands = blocks('sh')[0]!;
    expect(commands).toMatch(/^npm install && npm start\b/m);
    expect(commands).toMatch(/^npm test\b/m);
    expect(packageJson.scripts).toHaveProperty('start');
    expect(packageJson.scripts).toHaveProperty('test');
    const port = loadConfig({}).port;
    expect(commands).toContain(`the collector on :${port}, a demo site on :${port + 1}`);
    expect(readme).toContain(`http://localhost:${port}/`);
  });

  it('gives a snippet whose path the collector serves and whose attributes the tracker reads', async () => {
    const [snippet] = blocks('html');
    const tag = /<script defer src="https:\/\/stats\.example\.com(\/[^"]+)"((?: data-[a-z-]+="[^"]*")+)><\/script>/.exec(snippet!);
    expect(tag, snippet).not.toBeNull();
    expect(tag![1]).toBe(loadConfig({}).paths.script);
    const attributes = [...tag![2]!.matchAll(/data-([a-z-]+)=/g)].map((m) => m[1]!.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase()));
    expect(attributes).toContain('site');
    for (const name of attributes) expect(optionNames).toContain(name);
    t = await createTestCollector({ sdkScript: '(()=>{})();' });
    expect((await t.app.request(tag![1]!)).status).toBe(200);
  });

  it('has a custom event the collector takes as the tracker sends it, and a stats call it answers', async () => {
    const call = /footfall\('([^']+)', (\{.*\})\);/.exec(readme);
    expect(call).not.toBeNull();
    const data = new Function(`return ${call![2]}`)() as { props?: object; revenue?: object };
    t = await createTestCollector({ now: () => Date.parse('2026-11-23T12:00:00Z') });
    // As the tracker sends track(name, data): { n, p: props, $: revenue }.
    const batch = { s: 'example.com', e: [{ n: call![1], u: 'https://example.com/', k: '/', a: 0, p: data.props, $: data.revenue }] };
    const res = await t.post('/events', batch, { origin: 'https://example.com' });
    expect(await res.json()).toEqual({ status: 'success', accepted: 1, ignored: 0, rejected: [] });

    const stats = /curl '(http:\/\/localhost:\d+)(\/stats\?[^']+)'/.exec(readme);
    expect(stats).not.toBeNull();
    const answer = await t.app.request(stats![2]!);
    expect(answer.status).toBe(200);
    expect(await answer.json()).toMatchObject({ site_id: 'example.com', total_views: expect.any(Number) });
  });

  it('installs the npm package from a URL the collector serves, and calls init with options it has', async () => {
    const install = /npm install https:\/\/stats\.example\.com(\/sdk\/[^\s]+)/.exec(readme);
    expect(install).not.toBeNull();
    const dir = mkdtempSync(join(tmpdir(), 'footfall-readme-'));
    try {
      writeFileSync(join(dir, `footfall-sdk-${sdkPackageJson.version}.tgz`), 'x');
      const res = await sdkPackageRoutes(loadSdkPackage(dir)).request(install![1]!);
      expect([200, 302]).toContain(res.status);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    const init = /init\(\{([^}]*)\}\)/.exec(readme);
    const keys = [...init![1]!.matchAll(/(\w+):\s/g)].map((m) => m[1]!);
    expect(keys).toEqual(['site', 'api']);
    for (const key of keys) expect(optionNames).toContain(key);
  });

  it('answers a curl to /events as it says, and takes the same event at POST /event', async () => {
    const said = /A `curl` to `(\/events)`[^`]*`(\d{3}) (\{[^`]*),…\}`/.exec(readme);
    expect(said).not.toBeNull();
    t = await createTestCollector({ now: () => Date.parse('2026-11-23T12:00:00Z') });
    const curl = { 'user-agent': 'curl/8.5.0', 'content-type': 'text/plain' };
    const batch = { s: 'example.com', e: [{ n: 'pageview', u: 'https://example.com/', k: '/', a: 0 }] };
    const res = await t.app.request(said![1]!, { method: 'POST', body: JSON.stringify(batch), headers: curl });
    expect(res.status).toBe(Number(said![2]));
    expect(await res.json()).toMatchObject(JSON.parse(`${said![3]}}`) as object);
    const event = { site_id: 'example.com', event_type: 'page_view', path: '/', timestamp: '2026-11-23T11:59:00Z' };
    expect((await t.app.request('/event', { method: 'POST', body: JSON.stringify(event), headers: curl })).status).toBe(202);
  });
});
