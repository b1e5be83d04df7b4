import { Registry } from 'prom-client';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { silentLog } from '../log.ts';
import { BROWSER_UA, createTestCollector, type TestCollector } from '../../testing/test-collector.ts';
import { createLinkLookup } from './lookup.ts';
import { publicLinkRoutes } from './public-routes.ts';
import { insertLink } from './repository.ts';

let t: TestCollector;
beforeEach(async () => {
  t = await createTestCollector();
  await insertLink(t.store.db, { site_id: 'shop', target_url: 'https://shop.example/', code: 'spring', profile: 'acme' }, Date.now());
});
afterEach(() => t.close());

const routes = (observe: () => Promise<never>, registry = new Registry()) =>
  publicLinkRoutes({
    db: t.store.db,
    links: createLinkLookup(t.store.db, 0),
    ingest: { observe },
    socketIp: () => '203.0.113.7',
    registry,
    log: silentLog,
  });

it('sends the visitor on while their click is still being recorded', async () => {
  const app = routes(() => new Promise<never>(() => {}));
  const res = await app.request('/l/spring', { headers: { 'user-agent': BROWSER_UA } });
  expect(res.status).toBe(302);
  expect(res.headers.get('location')).toBe('https://shop.example/');
  expect((await app.request('/p/acme', { headers: { 'user-agent': BROWSER_UA } })).status).toBe(200);
});

it('sends the visitor on when recording fails, and counts the drop', async () => {
  const registry = new Registry();
  const app = routes(() => Promise.reject(new Error('the database is locked')), registry);
  expect((await app.request('/l/spring', { headers: { 'user-agent': BROWSER_UA } })).status).toBe(302);
  expect(await registry.metrics()).toContain('footfall_link_requests_total{kind="click",outcome="dropped"} 1');
});
