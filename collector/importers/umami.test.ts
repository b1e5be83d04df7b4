import { randomUUID } from 'node:crypto';
import type pg from 'pg';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseSites } from '../sites.ts';
import { createTestSchema, testDatabaseUrl } from '../../testing/test-schema.ts';
import { STORE_KINDS, storePerTest } from '../../testing/test-stores.ts';
import { importUmami } from './umami.ts';
import { openUmamiSource } from './umami-fixture.ts';

const WEBSITE = '7c1e2b5a-3d4f-4a6b-9c8d-0e1f2a3b4c5d';
const site = parseSites('shop;domains=shop.example;tz=Europe/Berlin', 'UTC').get('shop')!;

// The source is always PostgreSQL (Umami's own); the store it imports into, each kind available.
for (const kind of STORE_KINDS) {
  const skip = testDatabaseUrl ? kind.unavailable : 'TEST_DATABASE_URL is not set (the Umami source is PostgreSQL)';
  (skip ? describe.skip : describe)(`importUmami into ${kind.name}${skip ? `: skipped, ${skip}` : ''}`, () => {
    const held = storePerTest(kind, { timeZoneOf: () => site.timeZone });
    let source: pg.Client;
    let dropSource: () => Promise<void>;

    beforeEach(async () => {
      const schema = await createTestSchema();
      dropSource = schema.drop;
      source = await openUmamiSource(schema.url);
    });
    afterEach(async () => {
      await source.end();
      await dropSource();
    });

    async function session(extra: Record<string, string> = {}): Promise<string> {
      const id = randomUUID();
      const s = { browser: 'chrome', os: 'Mac OS', device: 'laptop', country: 'DE', region: 'DE-BY', city: 'Munich', ...extra };
      await source.query(
        'INSERT INTO session (session_id, website_id, browser, os, device, country, region, city) VALUES ($1,$2,$3,$4,$5,$6,$7,$8)',
        [id, WEBSITE, s.browser, s.os, s.device, s.country, s.region, s.city],
      );
      return id;
    }

    async function event(sessionId: string, at: string, fields: Record<string, unknown> = {}, data: [string, number, unknown][] = []) {
      const id = randomUUID();
      const e = { url_path: '/', url_query: null, referrer_domain: null, referrer_path: null, event_type: 1, event_name: null, ...fields };
      await source.query(
        `INSERT INTO website_event (event_id, website_id, session_id, visit_id, created_at, url_path, url_query, referrer_domain,
           referrer_path, page_title, event_type, event_name, hostname) VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,'Shop',$10,$11,'shop.example')`,
        [id, WEBSITE, sessionId, randomUUID(), at, e.url_path, e.url_query, e.referrer_domain, e.referrer_path, e.event_type, e.event_name],
      );
      for (const [key, type, value] of data)
        await source.query(
          `INSERT INTO event_data (event_data_id, website_id, website_event_id, data_key, string_value, number_value, data_type)
           VALUES ($1,$2,$3,$4,$5,$6,$7)`,
          [randomUUID(), WEBSITE, id, key, type === 2 ? null : String(value), type === 2 ? value : null, type],
        );
    }

    async function seed(): Promise<void> {
      const a = await session();
      await event(a, '2026-03-01T09:00:00.123456Z', {
        url_path: '/pricing',
        url_query: 'utm_source=news',
        referrer_domain: 'www.google.com',
      });
      await event(a, '2026-03-01T09:05:00Z', { url_path: '/checkout' });
      await event(a, '2026-03-01T09:06:00Z', { url_path: '/checkout', event_type: 2, event_name: 'Purchase' }, [
        ['revenue', 2, '29.9000'],
        ['currency', 1, 'eur'],
        ['plan', 1, 'pro'],
        ['trial', 3, 'true'],
      ]);
      const b = await session({ browser: 'ios', os: 'iOS', device: 'mobile', country: 'FR' });
      await event(b, '2026-03-02T22:30:00Z', { url_path: '/app#/settings' });
      await event(b, '2026-03-02T22:31:00Z', { event_type: 5 }); // a performance measurement: not imported
    }

    const stored = () => held.store.db.selectFrom('events').selectAll().orderBy('ts').execute();

    it('writes page views and custom events with their data, revenue, session facts and visits', async () => {
      await seed();
      const progress: [number, number][] = [];
      const result = await importUmami(held.store, source, {
        website: WEBSITE,
        site,
        pageSize: 2,
        progress: (d, t) => progress.push([d, t]),
      });
      expect(result).toEqual({ outcome: 'imported', events: 4, skipped: 0, firstDay: '2026-03-01', lastDay: '2026-03-02', resumed: false });
      expect(progress.at(-1)).toEqual([4, 4]);
      const rows = await stored();
      expect(rows).toMatchObject([
        { type: 'pageview', path: '/pricing', utm_source: 'news', source: 'news', ts: Date.parse('2026-03-01T09:00:00.123Z') },
        { type: 'pageview', path: '/checkout', browser: 'Chrome', os: 'macOS', device: 'Desktop', country: 'DE', city: 'Munich' },
        { type: 'custom', name: 'Purchase', revenue_amount: 29.9, revenue_currency: 'EUR', props: '{"plan":"pro","trial":true}' },
        { type: 'pageview', path: '/app#/settings', browser: 'Mobile Safari', device: 'Mobile', country: 'FR' },
      ]);
      expect(new Set(rows.map((r) => r.visitor_id)).size).toBe(2);
      await held.store.rollUp();
      const visits = await held.store.db.selectFrom('visits').select('site_id').execute();
      expect(visits).toHaveLength(2);
    });

    it('imports once: a second run finds the finished import and writes nothing', async () => {
      await seed();
      await importUmami(held.store, source, { website: WEBSITE, site });
      const again = await importUmami(held.store, source, { website: WEBSITE, site });
      expect(again).toMatchObject({ outcome: 'already_imported', events: 4 });
      expect(await stored()).toHaveLength(4);
    });

    it('resumes an interrupted import where its last page ended, without writing a page twice', async () => {
      await seed();
      let pages = 0;
      const stop = () => {
        if (++pages === 1) throw new Error('interrupted');
      };
      await expect(importUmami(held.store, source, { website: WEBSITE, site, pageSize: 2, progress: stop })).rejects.toThrow('interrupted');
      expect(await stored()).toHaveLength(2);
      // The next page written, but the ledger not told: as if the process died between the two.
      const ledger = await held.store.db.selectFrom('imports').selectAll().executeTakeFirstOrThrow();
      await held.store.db.updateTable('imports').set({ cursor: null, rows: 0 }).execute();
      const result = await importUmami(held.store, source, { website: WEBSITE, site, pageSize: 2 });
      expect(result).toMatchObject({ outcome: 'imported', resumed: true });
      expect(ledger.cursor).toMatch(/^\d+\|/);
      expect(await stored()).toHaveLength(4);
    });

    it("refuses days that hold the site's own events, naming them, unless forced", async () => {
      await seed();
      await held.store.insertEvents([
        {
          site_id: 'shop',
          ts: Date.parse('2026-03-02T10:00:00Z'),
          type: 'pageview',
          name: 'pageview',
          visitor_id: 'own',
          previous_visitor_id: null,
          hostname: 'shop.example',
          path: '/',
          title: null,
          referrer: null,
          source: null,
          utm_source: null,
          utm_medium: null,
          utm_campaign: null,
          utm_term: null,
          utm_content: null,
          browser: null,
          browser_version: null,
          os: null,
          device: null,
          country: null,
          region: null,
          city: null,
          link: null,
          element: null,
          props: null,
          revenue_amount: null,
          revenue_currency: null,
          engaged_ms: null,
          scroll_depth: null,
        },
      ]);
      expect(await importUmami(held.store, source, { website: WEBSITE, site })).toEqual({ outcome: 'overlap', days: ['2026-03-02'] });
      expect(await stored()).toHaveLength(1);
      expect(await importUmami(held.store, source, { website: WEBSITE, site, force: true })).toMatchObject({
        outcome: 'imported',
        events: 4,
      });
      expect(await stored()).toHaveLength(5);
    });
  });
}
