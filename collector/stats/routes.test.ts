import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { describeEachStore } from '../../testing/test-stores.ts';
import { createTestCollector, type TestCollector } from '../../testing/test-collector.ts';

describeEachStore('the stats routes', (kind) => {
  let t: TestCollector;
  beforeEach(async () => {
    t = await createTestCollector({ now: () => Date.parse('2026-11-23T12:00:00Z'), kind });
  });
  afterEach(() => t.close());

  async function send(site: string, event_type: string, path: string | null, user: string, timestamp: string) {
    const res = await t.post('/event', { site_id: site, event_type, path, user_id: user, timestamp });
    expect(res.status).toBe(202);
  }

  const stats = async (query: string) => {
    const res = await t.app.request(`/stats?${query}`);
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
  };

  describe('GET /stats', () => {
    beforeEach(async () => {
      await send('s1', 'page_view', '/a', 'u1', '2026-11-22T10:00:00Z');
      await send('s1', 'pageview', '/a', 'u2', '2026-11-23T09:00:00Z');
      await send('s1', 'page_view', '/b', 'u1', '2026-11-23T09:05:00Z');
      await send('s1', 'page_view', '/a', 'u1', '2026-11-23T09:06:00Z');
      await send('s1', 'Signup', null, 'u3', '2026-11-23T09:07:00Z');
      await send('s2', 'page_view', '/a', 'u1', '2026-11-23T09:00:00Z');
      await t.flush();
    });

    it('counts one day with the seed contract exactly', async () => {
      expect(await stats('site_id=s1&date=2026-11-23')).toMatchObject({
        status: 200,
        body: {
          site_id: 's1',
          date: '2026-11-23',
          total_views: 3,
          unique_users: 3,
          top_paths: [
            { path: '/a', views: 2 },
            { path: '/b', views: 1 },
          ],
        },
      });
    });

    it('counts all time without a date, a visitor once on each day seen', async () => {
      expect((await stats('site_id=s1')).body).toMatchObject({
        site_id: 's1',
        date: null,
        total_views: 4,
        unique_users: 4,
        top_paths: [
          { path: '/a', views: 3 },
          { path: '/b', views: 1 },
        ],
      });
    });

    it('answers zeros for a site or day with nothing', async () => {
      expect((await stats('site_id=nobody')).body).toMatchObject({
        site_id: 'nobody',
        date: null,
        total_views: 0,
        unique_users: 0,
        top_paths: [],
        range: null,
      });
      expect((await stats('site_id=s1&date=2020-01-01')).body).toMatchObject({ total_views: 0, unique_users: 0, top_paths: [] });
    });

    it.each([
      ['', 'site_id'],
      ['site_id=s1&date=2026-02-30', 'date'],
      ['site_id=s1&date=23-11-2026', 'date'],
    ])('refuses "%s" with a 400 naming %s', async (query, field) => {
      const { status, body } = await stats(query);
      expect(status).toBe(400);
      expect(body.errors).toContainEqual({ field, reason: expect.any(String) });
    });
  });
});
