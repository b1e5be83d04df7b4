import { afterEach, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../config.ts';
import { createTestCollector, type TestCollector } from '../../testing/test-collector.ts';
import { createTestTrafficCheck, parseTestToken } from './test-traffic.ts';

// A site's own browser tests, counted by a token the operator configured; everything else headless stays a bot.

const NOW = Date.parse('2026-11-23T12:00:00Z');
const HEADLESS = 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/140.0.0.0 Safari/537.36';
const TOKEN = 'c0ffee00c0ffee00c0ffee00c0ffee00';

let t: TestCollector | undefined;
afterEach(() => t?.close());

const batch = { s: 's1', e: [{ n: 'pageview', u: 'https://shop.test/checkout', a: 0 }] };
const stored = () => t!.store.db.selectFrom('events').select(['path', 'browser']).execute();

describe('FOOTFALL_TEST_TOKEN', () => {
  it('counts a headless browser that sends the token in ?footfall_test=, on both ingest routes', async () => {
    t = await createTestCollector({ now: () => NOW, env: { FOOTFALL_TEST_TOKEN: TOKEN } });
    const res = await t.post(`/events?footfall_test=${TOKEN}`, batch, { 'user-agent': HEADLESS });
    expect(res.status).toBe(202);
    const event = { site_id: 's1', event_type: 'page_view', path: '/thanks', timestamp: '2026-11-23T11:59:00Z' };
    const single = await t.post(`/event?footfall_test=${TOKEN}`, event, { 'user-agent': HEADLESS, origin: 'https://shop.test' });
    expect(single.status).toBe(202);
    await t.flush();
    expect(await stored()).toEqual([
      { path: '/checkout', browser: expect.any(String) },
      { path: '/thanks', browser: expect.any(String) },
    ]);
  });

  it('drops a headless browser with a wrong token, or any token when none is configured, and says how to be counted', async () => {
    t = await createTestCollector({ now: () => NOW, env: { FOOTFALL_TEST_TOKEN: TOKEN } });
    for (const query of [`?footfall_test=${TOKEN}x`, `?footfall_test=${TOKEN.slice(1)}`, '?footfall_test=', `?test=${TOKEN}`, '']) {
      const res = await t.post(`/events${query}`, batch, { 'user-agent': HEADLESS });
      expect(res.status).toBe(200);
      expect(await res.json()).toEqual({
        status: 'ignored',
        reason: 'headless_browser',
        message:
          "not counted: the User-Agent is a bot's (headless browser); a site's own browser tests are counted when they load the script with ?footfall_test= and the collector's FOOTFALL_TEST_TOKEN",
      });
    }
    await t.close();

    t = await createTestCollector({ now: () => NOW });
    const unconfigured = await t.post(`/events?footfall_test=${TOKEN}`, batch, { 'user-agent': HEADLESS });
    expect(await unconfigured.json()).toMatchObject({ status: 'ignored', reason: 'headless_browser' });
    await t.flush();
    expect(await stored()).toEqual([]);
  });

  it('lifts the headless check only: crawlers, HTTP clients and requests without a User-Agent stay out', async () => {
    t = await createTestCollector({ now: () => NOW, env: { FOOTFALL_TEST_TOKEN: TOKEN } });
    const cases: [string, string][] = [
      ['Googlebot/2.1 (+http://www.google.com/bot.html)', 'crawler'],
      ['curl/8.4.0', 'http_client'],
      ['', 'no_user_agent'],
    ];
    for (const [userAgent, reason] of cases) {
      const res = await t.post(`/events?footfall_test=${TOKEN}`, batch, { 'user-agent': userAgent });
      expect(await res.json()).toMatchObject({ status: 'ignored', reason });
    }
    await t.flush();
    expect(await stored()).toEqual([]);
  });

  it('tells a curl to the batch endpoint that servers send POST /event', async () => {
    t = await createTestCollector({ now: () => NOW });
    const res = await t.post('/events', batch, { 'user-agent': 'curl/8.4.0' });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({
      status: 'ignored',
      reason: 'http_client',
      message:
        "not counted: the User-Agent is a bot's (http client); the tracker's batch endpoint is for browsers: servers and scripts send POST /event",
    });
  });

  it('serves the script that sends the token, never cached, only for the token', async () => {
    t = await createTestCollector({ now: () => NOW, sdkScript: 'send("/events")', env: { FOOTFALL_TEST_TOKEN: TOKEN } });
    const res = await t.app.request(`/footfall.js?footfall_test=${TOKEN}`);
    expect(res.status).toBe(200);
    expect(await res.text()).toBe(`send("/events?footfall_test=${TOKEN}")`);
    expect(res.headers.get('cache-control')).toBe('private, no-store');
    expect(res.headers.get('x-footfall-version')).toBeNull();
    const wrong = await t.app.request('/footfall.js?footfall_test=guess');
    expect(wrong.status).toBe(403);
    expect(await wrong.json()).toEqual({ status: 'error', message: "footfall_test is not this collector's FOOTFALL_TEST_TOKEN" });
    expect(await (await t.app.request('/footfall.js')).text()).toBe('send("/events")');
    await t.close();

    t = await createTestCollector({ now: () => NOW, sdkScript: 'send("/events")' });
    expect((await t.app.request(`/footfall.js?footfall_test=${TOKEN}`)).status).toBe(403);
  });

  it('refuses a token short enough to guess, naming the variable', () => {
    expect(() => loadConfig({ FOOTFALL_TEST_TOKEN: 'secret' })).toThrow(ConfigError);
    expect(() => loadConfig({ FOOTFALL_TEST_TOKEN: 'secret' })).toThrow(/^FOOTFALL_TEST_TOKEN: expected a secret of 16 to 256 characters/);
    expect(() => parseTestToken('has a space in it, long enough')).toThrow(/without spaces/);
    expect(parseTestToken('  ')).toBeNull();
    expect(loadConfig({ FOOTFALL_TEST_TOKEN: ` ${TOKEN} ` }).ingest.testToken).toBe(TOKEN);
  });

  it('matches the whole token and nothing else', () => {
    const check = createTestTrafficCheck(TOKEN);
    expect(check(TOKEN)).toBe(true);
    expect(check(` ${TOKEN}`)).toBe(false);
    expect(check(TOKEN.toUpperCase())).toBe(false);
    expect(check(undefined)).toBe(false);
    expect(createTestTrafficCheck(null)(TOKEN)).toBe(false);
  });
});
